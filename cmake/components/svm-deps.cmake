# Dependencies of canon::svm (included by canon's build and by canonConfig.cmake, so it
# must work on its own): libsvm. Debian's libsvm-dev ships /usr/include/libsvm/svm.h
# and libsvm.so but no pkg-config or CMake file, so it is found by hand; the include
# directory is the one holding svm.h (canon includes <svm.h>), which also finds builds
# that install svm.h straight into include/.
set(canon_svm_NEEDS "libsvm, svm.h and libsvm (Debian: libsvm-dev)")
set(canon_svm_DEPS_FOUND FALSE)
find_path(CANON_LIBSVM_INCLUDE_DIR svm.h PATH_SUFFIXES libsvm)
find_library(CANON_LIBSVM_LIBRARY NAMES svm libsvm)
if(CANON_LIBSVM_INCLUDE_DIR AND CANON_LIBSVM_LIBRARY AND NOT TARGET canon_svm_libsvm)
  add_library(canon_svm_libsvm UNKNOWN IMPORTED GLOBAL)
  set_target_properties(canon_svm_libsvm PROPERTIES
    IMPORTED_LOCATION "${CANON_LIBSVM_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CANON_LIBSVM_INCLUDE_DIR}")
endif()
if(TARGET canon_svm_libsvm)
  set(canon_svm_DEPS_FOUND TRUE)
endif()

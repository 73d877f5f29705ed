# canon::svm — support vector regression through libsvm (headers under
# include/canon/svm/, umbrella canon/svm.hpp): an RBF epsilon-SVR and what is built on
# it, EMER-CL's MER comparison (models/emer_cl/mer.hpp). Needs libsvm (Debian:
# libsvm-dev). The component is named after what it provides, like canon::signal
# (FFTW): the file is svm.cmake so that its deps snippet installs as svm-deps.cmake.
option(CANON_WITH_SVM "Provide the canon::svm component (libsvm)" ON)
if(CANON_WITH_SVM)
  include(${CMAKE_CURRENT_LIST_DIR}/svm-deps.cmake)
  if(canon_svm_DEPS_FOUND)
    add_library(canon_svm INTERFACE)
    target_link_libraries(canon_svm INTERFACE canon canon_svm_libsvm)
    canon_add_component(svm canon_svm ${CMAKE_CURRENT_LIST_DIR}/svm-deps.cmake)
  else()
    message(STATUS "canon: libsvm (svm.h, libsvm) not found; canon::svm is not available")
  endif()
endif()

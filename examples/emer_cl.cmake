# EMER-CL on the semi-real default: real DEAM emotions read from CSV (canon::io, and the
# files header also reaches canon::signal); the MER comparison only with canon::svm.
if(TARGET canon::signal AND TARGET canon::io)
  if(TARGET canon::svm)
    canon_add_example(07_emer_cl_demo canon::signal canon::io canon::svm
                      ARGS --quick --out ${CMAKE_CURRENT_BINARY_DIR}/emer-cl-quick)
    target_compile_definitions(07_emer_cl_demo PRIVATE CANON_DEMO_HAS_SVM=1)
  else()
    canon_add_example(07_emer_cl_demo canon::signal canon::io
                      ARGS --quick --out ${CMAKE_CURRENT_BINARY_DIR}/emer-cl-quick)
  endif()
endif()

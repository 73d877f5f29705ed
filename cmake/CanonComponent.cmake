# canon_add_component(NAME TARGET DEPS_FILE)
#
# Registers an optional component: gives TARGET the alias canon::NAME and the
# export name NAME, installs it into its own export set, and installs DEPS_FILE, the
# snippet that finds the component's dependencies, beside canonConfig.cmake. The
# config file loads a component only when the consumer asks for it (or, with no
# COMPONENTS given, when its dependencies can be found).
set(CANON_COMPONENTS "" CACHE INTERNAL "canon's optional components")

function(canon_add_component name target deps_file)
  add_library(canon::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  set(CANON_COMPONENTS ${CANON_COMPONENTS} ${name} CACHE INTERNAL "canon's optional components")
  if(CANON_INSTALL)
    set(dir ${CMAKE_INSTALL_LIBDIR}/cmake/canon)
    install(TARGETS ${target} EXPORT canon-${name}-targets)
    install(EXPORT canon-${name}-targets NAMESPACE canon:: DESTINATION ${dir})
    install(FILES ${deps_file} DESTINATION ${dir}/components RENAME ${name}-deps.cmake)
  endif()
endfunction()

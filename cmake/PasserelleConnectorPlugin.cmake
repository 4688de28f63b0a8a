# passerelle_add_connector_plugin(<target> <strategy> SOURCES <file>...)
#
# Builds a connector plugin: the module "<strategy>.so" (no "lib" prefix)
# that a Passerelle broker loads for connections with "strategy": "<strategy>"
# once it sits in the broker's plugins_dir. Only the module's entry point is
# exported (hidden visibility), and an unresolved symbol fails the link here
# rather than the broker's start-up (--no-undefined). Link further libraries
# to <target> as usual.
#
# Installed with the SDK and included by PasserelleConfig.cmake.
function(passerelle_add_connector_plugin target strategy)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SOURCES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "passerelle_add_connector_plugin: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "passerelle_add_connector_plugin(${target}): SOURCES is required")
  endif()
  # The broker maps a strategy to a file name with these characters only.
  if(NOT strategy MATCHES "^[A-Za-z0-9_-]+$")
    message(FATAL_ERROR "passerelle_add_connector_plugin: \"${strategy}\" is not a valid strategy name "
                        "(letters, digits, '-' and '_')")
  endif()
  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE Passerelle::connector_sdk)
  target_link_options(${target} PRIVATE LINKER:--no-undefined)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${strategy}
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()

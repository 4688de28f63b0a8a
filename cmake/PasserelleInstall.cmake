# What `cmake --install` puts under the prefix, included from the top-level
# CMakeLists.txt once every target exists:
#   bin/passerelle                            the broker (broker/CMakeLists.txt)
#   lib/passerelle/plugins/<strategy>.so      the built-in connectors
#   include/passerelle/*.h                    the connector SDK
#   lib/cmake/Passerelle/                     find_package(Passerelle): the
#                                             Passerelle::connector_sdk target and
#                                             passerelle_add_connector_plugin()
#   lib/systemd/system/passerelle.service     the hardened unit (broker/deploy/)
#   share/passerelle/passerelle.example.json  a production config to start from
include(CMakePackageConfigHelpers)

get_property(passerelle_builtin_plugins GLOBAL PROPERTY PASSERELLE_PLUGINS)
install(TARGETS ${passerelle_builtin_plugins}
  LIBRARY DESTINATION ${PASSERELLE_INSTALL_PLUGIN_DIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/connectors/include/passerelle
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

set_target_properties(passerelle_sdk PROPERTIES EXPORT_NAME connector_sdk)
install(TARGETS passerelle_sdk EXPORT PasserelleTargets)
install(EXPORT PasserelleTargets
  NAMESPACE Passerelle::
  DESTINATION ${PASSERELLE_INSTALL_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/PasserelleConfig.cmake.in
  ${PROJECT_BINARY_DIR}/PasserelleConfig.cmake
  INSTALL_DESTINATION ${PASSERELLE_INSTALL_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR PASSERELLE_INSTALL_PLUGIN_DIR)
# Until 1.0 a minor release may change the plugin ABI.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/PasserelleConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/PasserelleConfig.cmake
  ${PROJECT_BINARY_DIR}/PasserelleConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/PasserelleConnectorPlugin.cmake
  DESTINATION ${PASSERELLE_INSTALL_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/broker/deploy/passerelle.service.in
  ${PROJECT_BINARY_DIR}/passerelle.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/passerelle.service
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/broker/deploy/passerelle.example.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/passerelle)

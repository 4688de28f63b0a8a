# End-to-end tests, included from tests/CMakeLists.txt: each tests/e2e/*.test.mjs
# file is one CTest test (e2e.<file>), run by Node's test runner against the
# passerelle executable of this build, with real OIDC clients and Chromium.
# `.ci/install-deps` installs what they need.

find_program(PASSERELLE_NODE node)
if(NOT PASSERELLE_NODE)
  message(FATAL_ERROR
    "The end-to-end tests need Node.js 20 or newer (node not found). "
    "Install it, or configure with -DPASSERELLE_E2E=OFF.")
endif()

set(e2e_dir ${CMAKE_CURRENT_LIST_DIR})
get_filename_component(e2e_repo_root "${e2e_dir}/../.." ABSOLUTE)
if(NOT EXISTS ${e2e_dir}/node_modules/openid-client/package.json)
  message(WARNING
    "tests/e2e/node_modules is missing: the e2e tests will fail until "
    "`.ci/install-deps` has run (or configure with -DPASSERELLE_E2E=OFF).")
endif()

# The fake IdPs run as processes; example.so is what the CTest fixture
# example_connector (tests/CMakeLists.txt) builds outside the tree.
set(e2e_environment
  "PASSERELLE_BIN=$<TARGET_FILE:passerelle>"
  "PASSERELLE_FAKE_FACEBOOK=$<TARGET_FILE:fake-facebook>"
  "PASSERELLE_FAKE_GITHUB=$<TARGET_FILE:fake-github>"
  "PASSERELLE_EXAMPLE_PLUGIN_DIR=${sdk_out}/plugins"
  "PASSERELLE_ROOT=${e2e_repo_root}"
  "PASSERELLE_E2E_TMP=${CMAKE_CURRENT_BINARY_DIR}/e2e-tmp"
  # The HTTPS tests' clients trust the TEST-ONLY CA of fixtures/tls.
  "NODE_EXTRA_CA_CERTS=${e2e_repo_root}/fixtures/tls/test-ca.pem")

# Checks Node, the Node packages, Chromium and the broker once, with a clear
# message, before any e2e test runs.
add_test(NAME e2e.setup COMMAND ${PASSERELLE_NODE} ${e2e_dir}/lib/check-setup.mjs)
set_tests_properties(e2e.setup PROPERTIES
  LABELS e2e
  FIXTURES_SETUP e2e_ready
  ENVIRONMENT "${e2e_environment}")

file(GLOB e2e_test_files CONFIGURE_DEPENDS ${e2e_dir}/*.test.mjs)
foreach(e2e_file IN LISTS e2e_test_files)
  get_filename_component(e2e_name ${e2e_file} NAME)
  string(REGEX REPLACE "\\.test\\.mjs$" "" e2e_name ${e2e_name})
  add_test(NAME e2e.${e2e_name}
    COMMAND ${PASSERELLE_NODE} --test --test-reporter=spec ${e2e_file}
    WORKING_DIRECTORY ${e2e_dir})
  # A file that loads the example plugin needs it built first.
  file(STRINGS ${e2e_file} e2e_uses_example_plugin REGEX "examplePluginDir")
  set(e2e_fixtures e2e_ready)
  if(e2e_uses_example_plugin)
    list(APPEND e2e_fixtures example_connector)
  endif()
  # A file on PostgreSQL creates its databases on the server of the whole run.
  file(STRINGS ${e2e_file} e2e_uses_postgres REGEX "lib/postgres\\.mjs")
  set(e2e_test_environment ${e2e_environment})
  if(e2e_uses_postgres)
    list(APPEND e2e_fixtures postgres)
    list(APPEND e2e_test_environment ${PASSERELLE_POSTGRES_TEST_ENV})
  endif()
  set_tests_properties(e2e.${e2e_name} PROPERTIES
    LABELS e2e
    TIMEOUT 180
    FIXTURES_REQUIRED "${e2e_fixtures}"
    ENVIRONMENT "${e2e_test_environment}")
  # Chromium takes most of both cores: browser tests run alone.
  file(STRINGS ${e2e_file} e2e_uses_browser REGEX "lib/browser\\.mjs")
  if(e2e_uses_browser)
    set_tests_properties(e2e.${e2e_name} PROPERTIES RUN_SERIAL TRUE)
  endif()
endforeach()

# The benchmarks in their smoke modes (a few seconds, no targets), so that the
# harnesses cannot rot; the measurements themselves are not tests.
add_test(NAME bench.compare_smoke COMMAND ${PASSERELLE_NODE} ${e2e_repo_root}/bench/compare.mjs --smoke)
add_test(NAME bench.multi_node_smoke COMMAND ${PASSERELLE_NODE} ${e2e_repo_root}/bench/multi-node.mjs --smoke)
set_tests_properties(bench.compare_smoke bench.multi_node_smoke PROPERTIES
  LABELS bench
  TIMEOUT 300
  RUN_SERIAL TRUE
  FIXTURES_REQUIRED e2e_ready
  ENVIRONMENT "${e2e_environment}")
# Named, so a missing tool fails the smoke instead of skipping its preload.
if(TARGET passerelle-bench-tool)
  set_property(TEST bench.compare_smoke APPEND PROPERTY
    ENVIRONMENT "PASSERELLE_BENCH_TOOL=$<TARGET_FILE:passerelle-bench-tool>")
endif()

// A shared library that is not a connector plugin: it lacks the entry point.
extern "C" __attribute__((visibility("default"))) int not_a_connector() { return 0; }

// The dashboard's one script, served at /dashboard/app.js: it turns the
// settings form and the action buttons into Management API calls and shows
// the API's answer. Thread-safe (a constant).
#pragma once

#include <string_view>

namespace passerelle::dashboard {

std::string_view script();

}  // namespace passerelle::dashboard

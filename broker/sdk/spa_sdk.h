// The browser SDK for single-page apps (sdk/passerelle-spa.js), embedded in
// the executable at build time and served at kSpaSdkPath.
#pragma once

#include <string_view>

namespace passerelle {

inline constexpr std::string_view kSpaSdkPath = "/sdk/passerelle-spa.js";
std::string_view spa_sdk_source();

}  // namespace passerelle

// "Remember this browser": after an MFA the user may ask not to be asked
// again in this browser for a while. The cookie names the user and the MFA
// enrolment and carries its expiry, MACed by the broker; resetting the
// user's MFA makes a new enrolment id, which voids every such cookie.
// Pure functions over an immutable SecretBox; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/secret_box.h"

namespace passerelle {

inline constexpr const char* kRememberBrowserCookie = "passerelle_mfa_remembered";
inline constexpr int64_t kRememberBrowserLifetime = 30 * 86400;  // "for 30 days"

std::string remember_browser_value(const SecretBox& box, std::string_view user_id, std::string_view enrolment_id,
                                   int64_t expires_at);

// True when `value` was made by remember_browser_value for this user and
// enrolment, and has not expired at `now`.
bool browser_remembered(const SecretBox& box, std::string_view value, std::string_view user_id,
                        std::string_view enrolment_id, int64_t now);

}  // namespace passerelle

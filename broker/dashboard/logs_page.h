// The dashboard's Logs view: the newest audit events first, filtered by
// user, application, event type and day range through a plain GET form
// (labelled inputs, usable from the keyboard, no script needed), with
// Newer/Older links. Hooks for tests: form#log-filters, table#logs with one
// row per event carrying data-log-id. Pure functions; thread-safe.
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "dashboard/pages.h"

namespace passerelle::dashboard {

inline constexpr size_t kLogsPerPage = 50;

// What the filter form sent, as typed (echoed back into the inputs).
struct LogFilterForm {
  std::string user_id;
  std::string client_id;
  std::string type;
  std::string from;  // YYYY-MM-DD, inclusive
  std::string to;    // YYYY-MM-DD, inclusive
  size_t page = 0;
};

// The filter the form describes, or a message naming the bad input.
Result<LogFilter> filter_of(const LogFilterForm& form);

// `error` (when not empty) is shown instead of results.
std::string logs_page(const Frame& frame, const LogFilterForm& form, const LogPage& page,
                      const std::string& error);

}  // namespace passerelle::dashboard

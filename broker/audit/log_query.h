// The small subset of Auth0's Lucene `q` syntax that /api/v2/logs and the
// dashboard's Logs view accept, parsed into a filter over audit events:
//
//   clause ( " AND " clause )*
//   clause := field ":" value | field ":(" value ( " OR " value )* ")"
//           | "date:" ( day | "[" bound " TO " bound "]" )
//   field  := user_id | user_name | client_id | connection | ip | type | log_id
//   value  := bare word (no space, quote, parenthesis or bracket) | "quoted"
//   day    := YYYY-MM-DD;  bound := day | YYYY-MM-DDTHH:MM:SS[.fff]Z | *
//
// Matching is exact (no wildcards); a range is inclusive, and a bare day as
// the upper bound covers that whole day (2026-02-01 runs to 23:59:59).
// Anything else is refused with kInvalidArgument naming what was wrong, which
// the API answers as 400 invalid_query_string. Pure functions; thread-safe.
#pragma once

#include <passerelle/result.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"

namespace passerelle {

struct LogFilter {
  // field -> accepted values (any of them); every field must match.
  std::map<std::string, std::vector<std::string>> equals;
  int64_t date_from = std::numeric_limits<int64_t>::min();  // inclusive, seconds
  int64_t date_to = std::numeric_limits<int64_t>::max();    // inclusive, seconds

  bool matches(const AuditEvent& e) const;
};

Result<LogFilter> parse_log_query(std::string_view q);

// A date or date-time as the query language writes it, in seconds; a bare
// day is its first second, or its last when `end_of_day`. nullopt otherwise.
std::optional<int64_t> parse_log_date(std::string_view text, bool end_of_day);

}  // namespace passerelle

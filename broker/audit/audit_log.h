// The audit trail: security events (audit_event.h) kept in the broker's
// store, one record per event in the audit_events table, each with an
// expiry `retention` seconds after it so the sweeper removes old events.
//
// log_id: 12 hex digits of the second, then 8 of a sequence number within
// that second, so byte order is time order and paging over ids is stable.
// The last id given out lives in the meta table and is read and bumped in
// the event's own write transaction; ids never go backwards, even if the
// clock does (the event's `date` is still the clock's time).
//
// Two ways to record: append() inside a write transaction that makes the
// change the event describes (both commit or neither does), or record() in
// a small transaction of its own after the change. A failed record() is
// written to the event log and otherwise ignored: the change has happened
// and the request goes on.
//
// Reading scans the table in id order (one pass per query; the trail is
// bounded by its retention). Thread-safe: state is in the KvStore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "audit/log_query.h"
#include "core/clock.h"
#include "core/ip_range.h"
#include "storage/kv_store.h"

namespace httplib {
struct Request;
}

namespace passerelle {

struct LogPage {
  std::vector<AuditEvent> events;
  size_t total = 0;  // events matching the filter, across all pages
};

class AuditLog {
 public:
  // REQUIRES: retention_seconds > 0; `store` and `clock` outlive the log.
  // `trusted_proxies`: whose X-Forwarded-For names the client (config).
  AuditLog(storage::KvStore& store, const Clock& clock, int64_t retention_seconds,
           std::vector<IpRange> trusted_proxies = {})
      : store_(store), clock_(clock), retention_(retention_seconds), trusted_proxies_(std::move(trusted_proxies)) {}

  // Gives `event` its log_id and date (and client_name from the client's
  // record when empty) and writes it in `txn`.
  Status append(storage::WriteTxn& txn, AuditEvent event) const;

  // append() in a transaction of its own; failures are logged, not returned.
  void record(AuditEvent event);
  // The same, with the request's IP and User-Agent.
  void record(const httplib::Request& req, AuditEvent event);

  // The request's client address (behind trusted proxies, the one they
  // name) and User-Agent (cut to a sane length) on `event`.
  AuditEvent with_request(const httplib::Request& req, AuditEvent event) const;

  Result<std::optional<AuditEvent>> find(std::string_view log_id);

  // The events matching `filter`, newest first (or oldest first when
  // `oldest_first`), skipping `offset` of them and returning up to `limit`.
  Result<LogPage> search(const LogFilter& filter, bool oldest_first, size_t offset, size_t limit);

  // Checkpoint reading: up to `take` events with ids after `from` (all when
  // empty), oldest first.
  Result<std::vector<AuditEvent>> after(std::string_view from, size_t take);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
  const int64_t retention_;
  const std::vector<IpRange> trusted_proxies_;
};

}  // namespace passerelle

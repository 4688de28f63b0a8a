#include "audit/audit_log.h"

#include <httplib.h>

#include <cinttypes>
#include <cstdio>
#include <deque>

#include "clients/client.h"
#include "core/event_log.h"
#include "http/client_address.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

constexpr std::string_view kLastIdKey = "audit_last_id";
constexpr size_t kMaxUserAgent = 256;

std::string make_log_id(uint64_t second, uint64_t sequence) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%012" PRIx64 "%08" PRIx64, second, sequence);
  return buf;
}

// The id after `last` (empty: none yet) at time `now`.
std::string next_log_id(const std::string& last, int64_t now) {
  uint64_t second = now > 0 ? static_cast<uint64_t>(now) : 0;
  uint64_t sequence = 0;
  uint64_t last_second = 0;
  uint64_t last_sequence = 0;
  if (last.size() == 20 &&
      std::sscanf(last.c_str(), "%12" SCNx64 "%8" SCNx64, &last_second, &last_sequence) == 2 &&
      last_second >= second) {
    second = last_second;  // the clock went back, or the same second
    sequence = last_sequence + 1;
    if (sequence > 0xffffffffULL) {
      ++second;
      sequence = 0;
    }
  }
  return make_log_id(second, sequence);
}

std::string cut(std::string_view text, size_t max) {
  return std::string(text.substr(0, max));
}

}  // namespace

AuditEvent AuditLog::with_request(const httplib::Request& req, AuditEvent event) const {
  event.ip = client_address(req, trusted_proxies_);
  event.user_agent = cut(req.get_header_value("User-Agent"), kMaxUserAgent);
  return event;
}

Status AuditLog::append(storage::WriteTxn& txn, AuditEvent event) const {
  auto last = txn.get(tables::kMeta, kLastIdKey);
  if (!last) return fail(last.error());
  event.date = clock_.now();
  event.log_id = next_log_id(last->value_or(""), event.date);
  if (event.client_name.empty() && !event.client_id.empty()) {
    auto client = get_record<Client>(txn, tables::kClients, event.client_id);
    if (!client) return fail(client.error());
    if (*client) event.client_name = (*client)->settings.name;
  }
  if (!event.details.is_object()) event.details = nlohmann::json::object();
  if (auto st = txn.put(tables::kMeta, kLastIdKey, event.log_id); !st) return st;
  if (auto st = put_record(txn, tables::kAuditEvents, event.log_id, event); !st) return st;
  return storage::set_expiry(txn, tables::kAuditEvents, event.log_id, event.date + retention_);
}

void AuditLog::record(AuditEvent event) {
  auto st = store_.update([&](storage::WriteTxn& txn) { return append(txn, event); });
  if (!st) {
    log_event("audit_write_failed", {{"type", event.type}, {"reason", st.error().message}}, LogLevel::kError);
  }
}

void AuditLog::record(const httplib::Request& req, AuditEvent event) {
  record(with_request(req, std::move(event)));
}

Result<std::optional<AuditEvent>> AuditLog::find(std::string_view log_id) {
  return read_record<AuditEvent>(store_, tables::kAuditEvents, log_id);
}

Result<LogPage> AuditLog::search(const LogFilter& filter, bool oldest_first, size_t offset, size_t limit) {
  LogPage page;
  // Newest first: keep only the last offset + limit matches while scanning
  // in id order, so memory stays bounded by the page asked for.
  std::deque<AuditEvent> tail;
  auto st = store_.view([&](storage::ReadTxn& txn) {
    page = {};
    tail.clear();
    return scan_records<AuditEvent>(txn, tables::kAuditEvents, "", [&](std::string_view, AuditEvent&& e) {
      if (!filter.matches(e)) return true;
      size_t index = page.total++;
      if (oldest_first) {
        if (index >= offset && index < offset + limit) page.events.push_back(std::move(e));
      } else if (offset + limit > 0) {
        tail.push_back(std::move(e));
        if (tail.size() > offset + limit) tail.pop_front();
      }
      return true;
    });
  });
  if (!st) return fail(st.error());
  if (!oldest_first) {
    // tail holds matches total-(offset+limit) .. total-1 in id order.
    size_t skip_newest = std::min(offset, tail.size());
    for (size_t i = tail.size() - skip_newest; i-- > 0 && page.events.size() < limit;) {
      page.events.push_back(std::move(tail[i]));
    }
  }
  return page;
}

Result<std::vector<AuditEvent>> AuditLog::after(std::string_view from, size_t take) {
  std::vector<AuditEvent> events;
  auto st = store_.view([&](storage::ReadTxn& txn) {
    events.clear();
    return scan_records<AuditEvent>(txn, tables::kAuditEvents, "", [&](std::string_view key, AuditEvent&& e) {
      if (key <= from) return true;
      if (events.size() >= take) return false;
      events.push_back(std::move(e));
      return true;
    });
  });
  if (!st) return fail(st.error());
  return events;
}

}  // namespace passerelle

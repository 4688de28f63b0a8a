#include "storage/transfer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/base64url.h"

namespace passerelle::storage {
namespace {

using nlohmann::json;

// The storage interface's key limit (kv_store.h); checked while reading so
// that the error names the line rather than failing inside the transaction.
constexpr size_t kMaxKeySize = 511;

// Table names go into the dump as JSON strings and come back in error
// messages: keeping them to printable ASCII makes both safe.
bool printable_ascii(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

Error at_line(ErrorCode code, size_t line, const std::string& what) {
  return Error{code, "import: line " + std::to_string(line) + ": " + what};
}

// A line parsed as a JSON object, or a discarded value when it is not one.
json parse_object(const std::string& line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json(json::value_t::discarded);
}

const std::string* string_field(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

struct Entry {
  size_t table = 0;  // index into ParsedDump::tables
  std::string key;
  std::string value;
};

struct ParsedDump {
  std::vector<std::string> tables;
  std::vector<uint64_t> counts;       // per table, same order
  std::vector<std::string> last_key;  // per table: keys must ascend
  std::vector<Entry> entries;
};

Status parse_header(const std::string& line, const std::vector<std::string>& target, ParsedDump& dump) {
  json header = parse_object(line);
  const std::string* format = header.is_discarded() ? nullptr : string_field(header, "format");
  if (format == nullptr || *format != kExportFormat) {
    return fail(at_line(ErrorCode::kInvalidArgument, 1, std::string("not a ") + kExportFormat + " file"));
  }
  auto version = header.find("version");
  if (version == header.end() || !version->is_number_integer() || *version != kExportVersion) {
    return fail(
        at_line(ErrorCode::kInvalidArgument, 1,
                "unsupported format version (this release reads " + std::to_string(kExportVersion) + ")"));
  }
  auto tables = header.find("tables");
  if (tables == header.end() || !tables->is_array()) {
    return fail(at_line(ErrorCode::kCorruption, 1, "the header has no \"tables\" list"));
  }
  for (const auto& t : *tables) {
    if (!t.is_string() || !printable_ascii(t.get_ref<const std::string&>())) {
      return fail(at_line(ErrorCode::kCorruption, 1, "a table name is not a printable string"));
    }
    const auto& name = t.get_ref<const std::string&>();
    if (std::find(target.begin(), target.end(), name) == target.end()) {
      return fail(at_line(ErrorCode::kInvalidArgument, 1,
                          "table \"" + name + "\" does not exist in the target store"));
    }
    if (std::find(dump.tables.begin(), dump.tables.end(), name) != dump.tables.end()) {
      return fail(at_line(ErrorCode::kCorruption, 1, "table \"" + name + "\" is listed twice"));
    }
    dump.tables.push_back(name);
  }
  dump.counts.assign(dump.tables.size(), 0);
  dump.last_key.assign(dump.tables.size(), "");
  return {};
}

Status parse_record(const json& record, size_t line, ParsedDump& dump) {
  const std::string* table = string_field(record, "t");
  const std::string* key = string_field(record, "k");
  const std::string* value = string_field(record, "v");
  if (table == nullptr || key == nullptr || value == nullptr || record.size() != 3) {
    return fail(at_line(ErrorCode::kCorruption, line, "not a record (want {\"t\", \"k\", \"v\"} strings)"));
  }
  auto it = std::find(dump.tables.begin(), dump.tables.end(), *table);
  if (it == dump.tables.end()) {
    // Not echoed: it is not a name the header vouched for.
    return fail(at_line(ErrorCode::kCorruption, line, "the record's table is not listed in the header"));
  }
  size_t index = static_cast<size_t>(it - dump.tables.begin());
  auto k = base64url_decode(*key);
  if (!k) return fail(at_line(ErrorCode::kCorruption, line, "the key is not base64url"));
  auto v = base64url_decode(*value);
  if (!v) return fail(at_line(ErrorCode::kCorruption, line, "the value is not base64url"));
  if (k->empty() || k->size() > kMaxKeySize) {
    return fail(at_line(ErrorCode::kCorruption, line,
                        "a key of " + std::to_string(k->size()) + " bytes (keys are 1.." +
                            std::to_string(kMaxKeySize) + ")"));
  }
  // Exports list each table in ascending key order; a key that does not
  // ascend is a repeated or edited record, which would silently overwrite.
  if (dump.counts[index] > 0 && *k <= dump.last_key[index]) {
    return fail(at_line(ErrorCode::kCorruption, line,
                        "a key of table \"" + *table + "\" repeats or is out of order"));
  }
  dump.last_key[index] = *k;
  ++dump.counts[index];
  dump.entries.push_back({index, std::move(*k), std::move(*v)});
  return {};
}

Status check_trailer(const json& trailer, size_t line, const ParsedDump& dump) {
  auto records = trailer.find("records");
  if (records == trailer.end() || !records->is_number_unsigned()) {
    return fail(at_line(ErrorCode::kCorruption, line, "the trailer has no record count"));
  }
  if (records->get<uint64_t>() != dump.entries.size()) {
    return fail(at_line(ErrorCode::kCorruption, line,
                        "the trailer counts " + std::to_string(records->get<uint64_t>()) +
                            " records, the file has " + std::to_string(dump.entries.size()) +
                            " (truncated or edited)"));
  }
  return {};
}

// Reads and checks the whole file; nothing is written until it all passed.
Result<ParsedDump> read_dump(std::istream& in, const std::vector<std::string>& target) {
  ParsedDump dump;
  std::string line;
  size_t line_no = 1;
  if (!std::getline(in, line)) return fail(at_line(ErrorCode::kInvalidArgument, 1, "the file is empty"));
  if (auto st = parse_header(line, target, dump); !st) return fail(st.error());
  bool ended = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (ended) return fail(at_line(ErrorCode::kCorruption, line_no, "data after the trailer"));
    json j = parse_object(line);
    if (j.is_discarded()) return fail(at_line(ErrorCode::kCorruption, line_no, "not a JSON object"));
    const std::string* end = string_field(j, "end");
    if (end != nullptr && *end == kExportFormat) {
      if (auto st = check_trailer(j, line_no, dump); !st) return fail(st.error());
      ended = true;
      continue;
    }
    if (auto st = parse_record(j, line_no, dump); !st) return fail(st.error());
  }
  if (in.bad())
    return fail(Error::unavailable("import: reading the file failed after line " + std::to_string(line_no)));
  if (!ended) {
    return fail(
        at_line(ErrorCode::kCorruption, line_no + 1, "the file ends without its trailer (truncated)"));
  }
  return dump;
}

// Runs inside the write transaction, possibly more than once.
Status write_dump(WriteTxn& txn, const std::vector<std::string>& target, const ParsedDump& dump) {
  for (const auto& table : target) {
    auto n = txn.count(table);
    if (!n) return fail(n.error());
    if (*n > 0) {
      return fail(Error::already_exists("import: the target store is not empty: table \"" + table +
                                        "\" holds " + std::to_string(*n) +
                                        " records; import only into an empty store"));
    }
  }
  for (const auto& e : dump.entries) {
    if (auto st = txn.put(dump.tables[e.table], e.key, e.value); !st) return st;
  }
  return {};
}

}  // namespace

Status export_store(KvStore& store, const std::vector<std::string>& tables, std::ostream& out) {
  for (const auto& t : tables) {
    if (!printable_ascii(t))
      return fail(Error::invalid_argument("export: a table name is not printable ASCII"));
  }
  out << json{{"format", kExportFormat}, {"version", kExportVersion}, {"tables", tables}}.dump() << '\n';
  uint64_t records = 0;
  Status read = store.view([&](ReadTxn& txn) -> Status {
    // A backend may run a read again (kv_store.h); lines already written
    // came from the first snapshot and cannot be taken back.
    if (records > 0) {
      return fail(
          Error::unavailable("export: the store restarted its snapshot mid-export; run the export again"));
    }
    for (const auto& table : tables) {
      const std::string head = "{\"t\":" + json(table).dump() + ",\"k\":\"";
      Status scan = txn.scan_prefix(table, "", [&](std::string_view key, std::string_view value) {
        out << head << base64url_encode(key) << "\",\"v\":\"" << base64url_encode(value) << "\"}\n";
        ++records;
        return out.good();
      });
      if (!scan) return scan;
      if (!out) return fail(Error::unavailable("export: writing the dump failed"));
    }
    return {};
  });
  if (!read) return read;
  out << json{{"end", kExportFormat}, {"records", records}}.dump() << '\n';
  out.flush();
  if (!out) return fail(Error::unavailable("export: writing the dump failed"));
  return {};
}

Result<ImportSummary> import_store(KvStore& store, const std::vector<std::string>& tables, std::istream& in) {
  auto dump = read_dump(in, tables);
  if (!dump) return fail(dump.error());
  Status written = store.update([&](WriteTxn& txn) { return write_dump(txn, tables, *dump); });
  if (!written) return fail(written.error());
  ImportSummary summary;
  for (size_t i = 0; i < dump->tables.size(); ++i)
    summary.tables.push_back({dump->tables[i], dump->counts[i]});
  summary.records = dump->entries.size();
  return summary;
}

}  // namespace passerelle::storage

#include "storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <cstring>

namespace passerelle::storage::pg {
namespace {

// SQLSTATE classes and codes (PostgreSQL appendix A), also used by
// CockroachDB and YugabyteDB for the same conditions.
bool retryable_state(std::string_view state) {
  return state == "40001"     // serialization_failure
         || state == "40P01";  // deadlock_detected
}
bool connection_state(std::string_view state) {
  return state.starts_with("08")    // connection exception
         || state.starts_with("57P");  // operator intervention: admin shutdown, crash shutdown
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void Rows::Clear::operator()(pg_result* r) const { PQclear(r); }

Rows::Rows(pg_result* result, Failure failure, std::string error, std::string sqlstate)
    : result_(result), failure_(failure), error_(std::move(error)), sqlstate_(std::move(sqlstate)) {}

int Rows::size() const { return result_ ? PQntuples(result_.get()) : 0; }

std::string_view Rows::bytes(int row, int col) const {
  return {PQgetvalue(result_.get(), row, col), static_cast<size_t>(PQgetlength(result_.get(), row, col))};
}

int64_t Rows::integer(int row, int col) const {
  std::string_view raw = bytes(row, col);
  int64_t value = 0;
  for (unsigned char byte : raw) value = (value << 8) | byte;  // network byte order
  if (raw.size() == 4 && (value & 0x80000000)) value -= int64_t(1) << 32;
  return value;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  // A server that does not answer must not hold a request for long; a
  // connect_timeout in the URL itself overrides this default.
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return fail(Error::unavailable("postgres: out of memory while connecting"));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return fail(Error::unavailable("postgres: cannot connect: " + reason));
  }
  // Notices (e.g. "relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

Rows Connection::exec(const std::string& sql) { return finish(PQexec(conn_, sql.c_str())); }

Rows Connection::query(const std::string& sql, const std::vector<std::string_view>& texts,
                       const std::vector<std::string_view>& blobs) {
  // libpq reads text parameters as C strings.
  std::vector<std::string> text_copies(texts.begin(), texts.end());
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const std::string& t : text_copies) {
    values.push_back(t.c_str());
    lengths.push_back(0);
    formats.push_back(0);
  }
  for (std::string_view b : blobs) {
    values.push_back(b.data());
    lengths.push_back(static_cast<int>(b.size()));
    formats.push_back(1);
  }
  Rows failed;
  std::string name = prepared(sql, static_cast<int>(values.size()), failed);
  if (name.empty()) return failed;
  return finish(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                               lengths.data(), formats.data(), /*resultFormat=*/1));
}

std::string Connection::prepared(const std::string& sql, int parameters, Rows& failed) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  std::string name = "passerelle_" + std::to_string(prepared_.size());
  Rows rows = finish(PQprepare(conn_, name.c_str(), sql.c_str(), parameters, nullptr));
  if (!rows.ok()) {
    failed = std::move(rows);
    return "";
  }
  prepared_.emplace(sql, name);
  return name;
}

Rows Connection::finish(pg_result* result) {
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result, Failure::kNone, "");
  std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  if (result) PQclear(result);
  Failure failure = Failure::kStatement;
  if (retryable_state(code)) {
    failure = Failure::kRetry;
  } else if (!healthy() || connection_state(code) || code.empty()) {
    // No SQLSTATE means libpq itself failed: the connection is lost.
    failure = Failure::kBroken;
  }
  return Rows(nullptr, failure, "postgres: " + message, code);
}

}  // namespace passerelle::storage::pg

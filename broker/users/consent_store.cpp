#include "users/consent_store.h"

#include <algorithm>

#include "core/encoding.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

std::string consent_key(std::string_view user_id, std::string_view client_id) {
  return std::string(user_id) + "\n" + std::string(client_id);
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

Result<bool> ConsentStore::covers(std::string_view user_id, std::string_view client_id, std::string_view scope) {
  auto found = read_record<Consent>(store_, tables::kConsents, consent_key(user_id, client_id));
  if (!found) return fail(found.error());
  if (!*found) return false;
  auto wanted = split_words(scope);
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& s) { return has((*found)->scopes, s); });
}

Status ConsentStore::grant(std::string_view user_id, std::string_view client_id, std::string_view scope) {
  std::string key = consent_key(user_id, client_id);
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<Consent>(txn, tables::kConsents, key);
    if (!found) return fail(found.error());
    Consent consent = found->value_or(Consent{});
    for (auto& s : split_words(scope)) {
      if (!has(consent.scopes, s)) consent.scopes.push_back(s);
    }
    consent.granted_at = clock_.now();
    return put_record(txn, tables::kConsents, key, consent);
  });
}

}  // namespace passerelle

#include "store/tables.h"

#include "storage/expiry_index.h"

namespace passerelle::tables {

std::vector<std::string> all_tables() {
  std::vector<std::string> names{std::string(kClients),       std::string(kUsers),
                                 std::string(kUsersByEmail),  std::string(kSessions),
                                 std::string(kLoginTransactions), std::string(kCodes),
                                 std::string(kRevokedTokens), std::string(kSigningKeys),
                                 std::string(kRefreshFamilies), std::string(kRefreshTokens),
                                 std::string(kConnections),   std::string(kMeta),
                                 std::string(kSessionsByUser), std::string(kSessionsBySid),
                                 std::string(kRefreshFamiliesByUser), std::string(kLoginFailures)};
  for (auto t : {kMfaEnrolments, kConsents, kIdentities, kUpstreamLogins, kUpstreamSessions, kAuditEvents}) names.emplace_back(t);
  for (auto& t : storage::expiry_tables()) names.push_back(t);
  return names;
}

}  // namespace passerelle::tables

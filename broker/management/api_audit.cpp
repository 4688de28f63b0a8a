#include "management/api_audit.h"

#include "audit/audit_log.h"
#include "management/api_support.h"
#include "oidc/access_token_verifier.h"

namespace passerelle::management {

AuditEvent api_event(Broker& b, const httplib::Request& req, AuditEvent event) {
  nlohmann::json initiator = nlohmann::json::object();
  // Checked already by the route; read again here for its claims only.
  if (auto token = bearer_token(req)) {
    if (auto claims = verify_access_token(b, *token, api_audience(b))) {
      std::string client_id = claims->value("client_id", "");
      std::string subject = claims->value("sub", "");
      initiator["client_id"] = client_id;
      if (!subject.empty() && subject != client_id) initiator["user_id"] = subject;
    }
  }
  if (!event.details.is_object()) event.details = nlohmann::json::object();
  event.details["initiator"] = std::move(initiator);
  return b.audit().with_request(req, std::move(event));
}

}  // namespace passerelle::management

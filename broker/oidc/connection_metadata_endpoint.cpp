// GET /samlp/metadata?connection=<name> (Auth0's path): the document a
// connection gives its IdP, e.g. a SAML SP's EntityDescriptor naming the
// broker's callback as its AssertionConsumerService. Public, like the IdP
// side's metadata: it holds no secret.
#include "http/responses.h"
#include "oidc/endpoints.h"

namespace passerelle {

void handle_connection_metadata(Broker& b, const httplib::Request& req, httplib::Response& res) {
  const OpenConnection* connection = b.connections().find(req.get_param_value("connection"));
  MetadataCapability* metadata = connection ? connection->connector->metadata() : nullptr;
  if (metadata == nullptr) {
    return send_error_page(res, 404, "invalid_request", "no connection of that name publishes metadata");
  }
  auto document = metadata->metadata_document(b.url("/login/callback"));
  if (!document) return send_error_page(res, 500, "server_error", "the metadata cannot be produced");
  res.set_header("Cache-Control", "public, max-age=300");
  res.set_content(*document, metadata->metadata_content_type());
}

}  // namespace passerelle

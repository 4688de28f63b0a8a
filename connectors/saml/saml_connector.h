// A SAML 2.0 service provider (Web Browser SSO profile): the AuthnRequest
// over HTTP-Redirect, the Response over HTTP-POST to the broker's callback,
// checked by read_response, NameID and attributes mapped to the profile,
// AuthnContextClassRef to amr/acr, and the SP metadata. IdP-initiated
// login is not accepted: a response must answer this login's request.
// Thread-safe: the config is immutable; the replay cache locks itself.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/plugin.h"
#include "saml/saml_config.h"
#include "saml/saml_response.h"

namespace passerelle::saml {

// The assertion IDs already consumed, each kept until it expires, so that
// one assertion logs in once (saml-profiles §4.1.4.5) even if another
// request's state were ever reused. In memory: one broker process.
class ReplayCache {
 public:
  // False when `id` was seen and has not expired; else remembers it.
  bool first_use(const std::string& id, int64_t expires_at, int64_t now);

 private:
  std::mutex mutex_;
  std::map<std::string, int64_t> expiry_by_id_;
};

class SamlConnector final : public Connector, public MetadataCapability {
 public:
  SamlConnector(SamlConfig config, const HostServices& host) : config_(std::move(config)), host_(host) {}

  Result<LoginStart> begin_login(const LoginRequest& request) override;
  Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) override;
  Result<std::string> metadata_document(const std::string& callback_url) override;
  std::string metadata_content_type() override { return "application/samlmetadata+xml"; }
  MetadataCapability* metadata() override { return this; }

 private:
  Identity identity_for(const Assertion& assertion) const;

  SamlConfig config_;
  HostServices host_;
  ReplayCache replays_;
};

// amr (RFC 8176) for an AuthnContextClassRef: "pwd" for the password
// classes, "mfa" for the well-known multi-factor ones and `mfa_contexts`.
std::vector<std::string> amr_for_context(const std::string& class_ref, const std::vector<std::string>& mfa_contexts);

// The factory the plugin exports, also linked directly into tests.
Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host);

}  // namespace passerelle::saml

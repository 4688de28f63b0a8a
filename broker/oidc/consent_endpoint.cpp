// GET /consent and POST /consent: the user allows (or denies) a client the
// scopes it asks for, when decide_reprompt says consent is needed (a
// third-party client without a stored consent, or prompt=consent).
#include "core/encoding.h"
#include "http/responses.h"
#include "oidc/authorization_flow.h"
#include "oidc/authorization_response.h"
#include "oidc/endpoints.h"
#include "tokens/token_issuer.h"
#include "ui/prompt_pages.h"

namespace passerelle {

void handle_consent_form(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step) return;
  auto who = load_signed_in(b, *step, res);
  if (!who) return;
  ConsentPageModel model;
  model.form = {step->tx_id, step->tx.csrf_token, client_display_name(b, step->tx.request.client_id), ""};
  model.user_email = who->user.email;
  model.scopes = split_words(step->tx.request.scope);
  send_html(res, 200, consent_page(model));
}

void handle_consent_submit(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !check_csrf(req, *step, res)) return;
  auto who = load_signed_in(b, *step, res);
  if (!who) return;
  if (param(req, "consent") != "accept") {
    (void)b.login_transactions().remove(step->tx_id);
    return respond_with_error(b, step->tx.request, "access_denied", "the user denied access", res);
  }
  if (auto st = b.consents().grant(who->user.id, step->tx.request.client_id, step->tx.request.scope); !st) {
    return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  step->tx.consented = true;
  continue_authorization(b, req, std::move(*step), res);
}

}  // namespace passerelle

// Audit events for changes made through the Management API (and so the
// dashboard): the request's IP and User-Agent, and who made the change —
// the caller's client_id, and the administrator's user id when the token
// is the dashboard's — under details.initiator. Thread-safe.
#pragma once

#include <httplib.h>

#include "app/broker.h"
#include "audit/audit_event.h"

namespace passerelle::management {

// `event` with the request's facts and details.initiator added.
// REQUIRES: the request passed authorize_api (its bearer token is valid).
AuditEvent api_event(Broker& b, const httplib::Request& req, AuditEvent event);

}  // namespace passerelle::management

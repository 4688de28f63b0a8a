// The dashboard's pages, server-rendered: Applications (with the refresh
// token settings of seed 004), Users (sessions, refresh tokens, blocking)
// and Connections (Logs: logs_page.h). Changes go through the Management API from the small
// script in script.cpp, with the token the layout carries. Hooks for tests:
// form#refresh-token-settings and the #save-message status element.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "clients/client.h"
#include "config/config.h"
#include "session/broker_session.h"
#include "tokens/refresh_token_store.h"
#include "users/user.h"
#include "users/user_store.h"

namespace passerelle::dashboard {

enum class Section { kApplications, kUsers, kConnections, kLogs };

struct Frame {
  Section section;
  std::string admin_email;
  std::string api_token;  // a Management API token for the script
};

// The frame every page shares: navigation, status line, the API token.
std::string layout(const Frame& frame, const std::string& title, const std::string& body);

std::string applications_page(const Frame& frame, const std::vector<Client>& clients);
std::string application_page(const Frame& frame, const Client& client, int64_t max_lifetime);
std::string users_page(const Frame& frame, const UserPage& page, const std::string& query);
std::string user_page(const Frame& frame, const User& user, const std::vector<BrokerSession>& sessions,
                      const std::vector<RefreshFamily>& tokens);
std::string connections_page(const Frame& frame, const std::vector<ConnectionConfig>& connections);

}  // namespace passerelle::dashboard

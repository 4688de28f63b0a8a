#include "audit/audit_event.h"

#include "core/time_format.h"

namespace passerelle {

void to_json(nlohmann::json& j, const AuditEvent& e) {
  j = {{"log_id", e.log_id},
       {"date", e.date},
       {"type", e.type},
       {"description", e.description},
       {"client_id", e.client_id},
       {"client_name", e.client_name},
       {"ip", e.ip},
       {"user_agent", e.user_agent},
       {"user_id", e.user_id},
       {"user_name", e.user_name},
       {"connection", e.connection},
       {"details", e.details}};
}

void from_json(const nlohmann::json& j, AuditEvent& e) {
  e.log_id = j.at("log_id").get<std::string>();
  e.date = j.at("date").get<int64_t>();
  e.type = j.at("type").get<std::string>();
  e.description = j.value("description", "");
  e.client_id = j.value("client_id", "");
  e.client_name = j.value("client_name", "");
  e.ip = j.value("ip", "");
  e.user_agent = j.value("user_agent", "");
  e.user_id = j.value("user_id", "");
  e.user_name = j.value("user_name", "");
  e.connection = j.value("connection", "");
  e.details = j.value("details", nlohmann::json::object());
}

nlohmann::json api_json(const AuditEvent& e) {
  nlohmann::json out = {{"log_id", e.log_id}, {"date", iso8601(e.date)}, {"type", e.type}};
  auto add = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
  };
  add("description", e.description);
  add("client_id", e.client_id);
  add("client_name", e.client_name);
  add("ip", e.ip);
  add("user_agent", e.user_agent);
  add("user_id", e.user_id);
  add("user_name", e.user_name);
  add("connection", e.connection);
  if (e.details.is_object() && !e.details.empty()) out["details"] = e.details;
  return out;
}

}  // namespace passerelle

// The labels that name an HTTP request in metrics without letting request
// data in: the route's pattern rather than the raw path (no ids, no query),
// and a method from a fixed list. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <httplib.h>

namespace passerelle {

// The pattern of the route that served `req`: its path with each part a
// route's regex captured shown as "{id}" (/api/v2/users/{id}/sessions).
// "other" when no route matched (404s of unknown paths, requests refused
// before routing), so scanners cannot add a series per path they try.
std::string route_label(const httplib::Request& req);

// GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; anything else is "other".
std::string method_label(std::string_view method);

}  // namespace passerelle

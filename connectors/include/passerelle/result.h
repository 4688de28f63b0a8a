// Result<T>: how errors cross module and plugin boundaries in Passerelle.
// A Result holds either a value or an Error (a code, and a message that never
// contains a secret). Aliased in this one header so that moving to C++23's
// std::expected is a one-line change. Value types; no shared state.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace passerelle {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input is malformed
  kNotFound,          // the record or resource does not exist
  kAlreadyExists,     // a create collided with an existing record
  kConflict,          // a concurrent change won; the caller may retry
  kPermissionDenied,  // authenticated but not allowed, or bad credentials
  kExpired,           // the thing exists but its lifetime is over
  kUnavailable,       // a dependency (disk, network, upstream) failed
  kCorruption,        // stored data cannot be decoded
  kInternal,          // a bug: a condition that should not happen
};

const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error already_exists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Error permission_denied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
  static Error expired(std::string m) { return {ErrorCode::kExpired, std::move(m)}; }
  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Error corruption(std::string m) { return {ErrorCode::kCorruption, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool is(ErrorCode c) const { return code == c; }
  friend bool operator==(const Error&, const Error&) = default;
  // "not_found: user 42" — for logs and messages.
  std::string to_string() const { return std::string(error_code_name(code)) + ": " + message; }
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

// Lets a function returning Result<T> write `return fail(Error::not_found(...))`.
inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

inline const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kExpired: return "expired";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace passerelle

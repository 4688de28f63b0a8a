// A direct codec for the records read and written on every request
// (sessions, users, codes, refresh-token families and tokens). The general
// path builds a JSON tree between the bytes and the struct, which cost more
// than the rest of a lookup; this one goes straight from one to the other.
// It writes the bytes the general path writes (the same MessagePack forms,
// fields in the order of their names, as a JSON object keeps them), so a
// record can be read either way. Reading takes the common case only: a
// record with a field the struct does not know, a value of an unexpected
// kind, or anything malformed gives nullopt, and the caller then decodes it
// the general way, which upgrades or rejects it as it always did.
//
// A record type opts in by being declared with PASSERELLE_DEFINE_RECORD in
// place of NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT (it defines
// both). Its fields may be std::string, int64_t, bool, another such record,
// or vectors of those. Stateless; thread-safe.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/msgpack.h"

namespace passerelle::record_codec {

template <class T>
struct Field {
  std::string_view name;
  void (*write)(msgpack::Writer&, const T&);
  bool (*read)(msgpack::Reader&, T&);
};

// Found by argument-dependent lookup: PASSERELLE_DEFINE_RECORD declares
// record_fields(const T*) beside T.
template <class T>
concept Record = requires(const T* record) {
  { record_fields(record) } -> std::same_as<std::vector<Field<T>>>;
};

inline void write_value(msgpack::Writer& w, const std::string& value) {
  w.string(value);
}
inline void write_value(msgpack::Writer& w, int64_t value) {
  w.integer(value);
}
inline void write_value(msgpack::Writer& w, bool value) {
  w.boolean(value);
}
template <class V>
void write_value(msgpack::Writer& w, const std::vector<V>& values);
template <Record T>
void write_value(msgpack::Writer& w, const T& record);

inline bool read_value(msgpack::Reader& r, std::string& out) {
  return r.string(out);
}
inline bool read_value(msgpack::Reader& r, int64_t& out) {
  return r.integer(out);
}
inline bool read_value(msgpack::Reader& r, bool& out) {
  return r.boolean(out);
}
template <class V>
bool read_value(msgpack::Reader& r, std::vector<V>& out);
template <Record T>
bool read_value(msgpack::Reader& r, T& out);

template <class T, auto Member>
Field<T> field(std::string_view name) {
  return {name, [](msgpack::Writer& w, const T& record) { write_value(w, record.*Member); },
          [](msgpack::Reader& r, T& record) { return read_value(r, record.*Member); }};
}

// T's fields sorted by name: the order a JSON object writes its keys in.
template <Record T>
const std::vector<Field<T>>& sorted_fields() {
  static const std::vector<Field<T>> fields = [] {
    auto list = record_fields(static_cast<const T*>(nullptr));
    std::ranges::sort(list, {}, &Field<T>::name);
    return list;
  }();
  return fields;
}

template <class V>
void write_value(msgpack::Writer& w, const std::vector<V>& values) {
  w.array_header(values.size());
  for (const V& value : values) write_value(w, value);
}

template <Record T>
void write_value(msgpack::Writer& w, const T& record) {
  const auto& fields = sorted_fields<T>();
  w.map_header(fields.size());
  for (const Field<T>& f : fields) {
    w.string(f.name);
    f.write(w, record);
  }
}

template <class V>
bool read_value(msgpack::Reader& r, std::vector<V>& out) {
  size_t count = 0;
  if (!r.array_header(count)) return false;
  out.clear();
  for (size_t i = 0; i < count; ++i) {
    if (!read_value(r, out.emplace_back())) return false;
  }
  return true;
}

// Fields absent from the bytes keep the value a new T has, as the general
// path's defaults do; a later duplicate of a key wins, as there too.
template <Record T>
bool read_value(msgpack::Reader& r, T& out) {
  const auto& fields = sorted_fields<T>();
  size_t count = 0;
  if (!r.map_header(count)) return false;
  out = T{};
  for (size_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!r.string_view(name)) return false;
    auto it = std::ranges::lower_bound(fields, name, {}, &Field<T>::name);
    if (it == fields.end() || it->name != name) return false;  // unknown: the general path decides
    if (!it->read(r, out)) return false;
  }
  return true;
}

// The stored form of `record` at schema `version`: the bytes of
// storage::encode_record(version, nlohmann::json(record)).
template <Record T>
std::string encode(uint32_t version, const T& record) {
  std::string out;
  out.reserve(256);
  msgpack::Writer w(out);
  w.array_header(2);
  w.unsigned_integer(version);
  write_value(w, record);
  return out;
}

// The record in `bytes`, or nullopt when they are not in the common case
// (see the top of this file). Ignores the version, as the general path does.
template <Record T>
std::optional<T> decode(std::string_view bytes) {
  msgpack::Reader r(bytes);
  size_t count = 0;
  uint64_t version = 0;
  if (!r.array_header(count) || count != 2 || !r.unsigned_integer(version) ||
      version > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  std::optional<T> record(std::in_place);
  if (!read_value(r, *record) || !r.at_end()) return std::nullopt;
  return record;
}

}  // namespace passerelle::record_codec

#define PASSERELLE_RECORD_FIELD(member) \
  fields.push_back(::passerelle::record_codec::field<Self, &Self::member>(#member));

// NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Type, members...) and the
// field list of record_codec.h. Use it in the namespace of Type.
#define PASSERELLE_DEFINE_RECORD(Type, ...)                                                \
  NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Type, __VA_ARGS__)                       \
  inline std::vector<::passerelle::record_codec::Field<Type>> record_fields(const Type*) { \
    using Self = Type;                                                                     \
    std::vector<::passerelle::record_codec::Field<Type>> fields;                           \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(PASSERELLE_RECORD_FIELD, __VA_ARGS__))        \
    return fields;                                                                         \
  }

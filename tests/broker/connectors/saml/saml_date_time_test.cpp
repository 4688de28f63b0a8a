// xs:dateTime as SAML carries it (saml-core §1.3.3: UTC, with an optional
// fraction and offset): the strict reader. The first refusal is the input
// the saml fuzz target found (tests/fuzz/corpus/saml/
// crash_negative_year_date_time): sscanf read "-027" as a year.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "saml/saml_response.h"

namespace passerelle::saml {

TEST_CASE("saml dateTime: well-formed values read, with fractions and offsets") {
  struct Row {
    const char* text;
    int64_t seconds;
  };
  const Row rows[] = {
      {"2027-01-15T08:00:00Z", 1800000000},
      {"2027-01-15T08:00:00.123Z", 1800000000},
      {"2027-01-15T09:30:00+01:30", 1800000000},
      {"2027-01-15T06:00:00-02:00", 1800000000},
      {"2028-02-29T00:00:00Z", 1835395200},
      {"1970-01-01T00:00:00Z", 0},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(parse_date_time(row.text) == row.seconds);
    CHECK(parse_date_time(format_date_time(row.seconds)) == row.seconds);
  }
}

TEST_CASE("saml dateTime: signs, blanks, impossible dates and offsets are refused") {
  const char* rows[] = {
      "-027-01-15T08:00:00Z",       // the fuzz input: a signed year
      "+2027-01-15T08:00:00Z",
      " 2027-01-15T08:00:00Z",
      "2027-01-15T-1:00:00Z",       // a negative hour passed the range check
      "2027-01-15T08:-1:00Z",
      "2027-01- 5T08:00:00Z",
      "2027-02-31T08:00:00Z",       // timegm would make it March 3
      "2027-02-29T08:00:00Z",       // not a leap year
      "2027-04-31T08:00:00Z",
      "0000-01-01T00:00:00Z",
      "2027-01-15T08:00:00+15:00",  // offsets lie within ±14:00
      "2027-01-15T08:00:00+01:60",
      "2027-01-15T08:00:00+-1:00",
      "2027-01-15T08:00:00",        // no zone
      "2027-01-15T08:00:00.Z",
      "2027-01-15T08:00:00ZZ",
      "2027-01-15",
      "",
  };
  for (const char* text : rows) {
    CAPTURE(text);
    CHECK_FALSE(parse_date_time(text).has_value());
  }
}

}  // namespace passerelle::saml

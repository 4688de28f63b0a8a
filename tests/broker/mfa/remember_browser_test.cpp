// The remembered-browser cookie, the sealed secrets and the QR code.
#include "mfa/remember_browser.h"

#include <doctest/doctest.h>

#include "mfa/qr_svg.h"
#include "storage/temp_dir.h"

namespace passerelle {

TEST_CASE("remember browser: valid for its user and enrolment until it expires") {
  SecretBox box(std::string(32, 'k'));
  std::string value = remember_browser_value(box, "user_1", "enrolment_a", 2'000);
  CHECK(browser_remembered(box, value, "user_1", "enrolment_a", 1'999));
  CHECK_FALSE(browser_remembered(box, value, "user_1", "enrolment_a", 2'000));  // expired
  CHECK_FALSE(browser_remembered(box, value, "user_2", "enrolment_a", 1'000));  // another user
  CHECK_FALSE(browser_remembered(box, value, "user_1", "enrolment_b", 1'000));  // MFA was reset
  SecretBox other(std::string(32, 'o'));
  CHECK_FALSE(browser_remembered(other, value, "user_1", "enrolment_a", 1'000));  // another broker's key

  // Changing the expiry breaks the MAC.
  std::string longer = value;
  longer.replace(longer.find("2000"), 4, "9000");
  CHECK_FALSE(browser_remembered(box, longer, "user_1", "enrolment_a", 2'500));
  CHECK_FALSE(browser_remembered(box, "", "user_1", "enrolment_a", 0));
  CHECK_FALSE(browser_remembered(box, "garbage.", "user_1", "enrolment_a", 0));
}

TEST_CASE("secret box: sealed values open only with the same key and purpose") {
  SecretBox box(std::string(32, 'k'));
  std::string sealed = box.seal("totp-key", "the secret");
  CHECK(sealed.find("the secret") == std::string::npos);
  CHECK(box.open("totp-key", sealed) == Result<std::string>("the secret"));
  CHECK(box.seal("totp-key", "the secret") != sealed);  // a fresh nonce each time
  CHECK(box.open("other", sealed).error().is(ErrorCode::kPermissionDenied));
  std::string tampered = sealed;
  tampered[14] ^= 1;
  CHECK(box.open("totp-key", tampered).error().is(ErrorCode::kPermissionDenied));
  CHECK(box.open("totp-key", "short").error().is(ErrorCode::kPermissionDenied));
}

TEST_CASE("secret box: the key file is created once and read back") {
  testing::TempDir dir;
  std::string path = dir.path() + "/secret_box.key";
  auto first = SecretBox::open_key_file(path);
  REQUIRE(first.has_value());
  auto second = SecretBox::open_key_file(path);
  REQUIRE(second.has_value());
  CHECK(second->open("p", first->seal("p", "x")) == Result<std::string>("x"));
}

TEST_CASE("qr svg: an SVG image with a title and dark modules") {
  auto svg = qr_svg("otpauth://totp/Passerelle:alice?secret=GEZDGNBV", "QR <code>");
  REQUIRE(svg.has_value());
  CHECK(svg->rfind("<svg ", 0) == 0);
  CHECK(svg->find("<title>QR &lt;code&gt;</title>") != std::string::npos);
  CHECK(svg->find("h1v1h-1z") != std::string::npos);
  CHECK_FALSE(qr_svg(std::string(8000, 'x'), "too long").has_value());
}

}  // namespace passerelle

#!/usr/bin/env bash
# The installed broker, <prefix>/bin/passerelle, started with a config that
# uses the built-in facebook connector and the example plugin from a
# plugins_dir: it must find facebook.so in <prefix>/lib/passerelle/plugins,
# serve its discovery document, and name the installed folder (not the build
# tree) when a plugin is missing.
#
#   usage: installed_broker_starts.sh <prefix> <plugins_dir> <work_dir>
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <prefix> <plugins_dir> <work_dir>" >&2
  exit 2
fi
prefix=$1
plugins_dir=$2
work_dir=$3
passerelle="$prefix/bin/passerelle"
installed_plugins="$prefix/lib/passerelle/plugins"

fail() {
  echo "installed_broker_starts: $*" >&2
  exit 1
}

[[ -x "$passerelle" ]] || fail "$passerelle is missing"
[[ -f "$installed_plugins/facebook.so" ]] || fail "$installed_plugins/facebook.so is missing"

rm -rf -- "$work_dir"
mkdir -p "$work_dir"

# A config whose connections are the JSON given as $2. Secrets here are test
# fixtures.
write_config() {
  cat >"$1" <<JSON
{
  "issuer": "http://127.0.0.1",
  "listen": "127.0.0.1:0",
  "data_dir": "$work_dir/data",
  "plugins_dir": "$plugins_dir",
  "clients": [{"client_id": "web", "client_secret": "fixture-web-secret-not-real", "name": "Web",
               "app_type": "regular_web", "redirect_uris": ["http://127.0.0.1:9/callback"]}],
  "connections": [$2]
}
JSON
}

# 1. A missing plugin: the error lists plugins_dir, then the installed folder.
write_config "$work_dir/missing.json" '{"name": "nothere", "strategy": "nothere"}'
if "$passerelle" serve --config "$work_dir/missing.json" 2>"$work_dir/missing.err"; then
  fail "started without nothere.so"
fi
expected="passerelle: connection \"nothere\": plugin file nothere.so not found in $plugins_dir, $installed_plugins"
[[ "$(cat "$work_dir/missing.err")" == "$expected" ]] ||
  fail "unexpected error: $(cat "$work_dir/missing.err") (expected: $expected)"

# 2. facebook (built in) and example (plugins_dir): the broker starts and serves.
write_config "$work_dir/ok.json" '
    {"name": "facebook", "strategy": "facebook",
     "options": {"client_id": "1234", "client_secret": "fb-app-secret-fixture"}},
    {"name": "example", "strategy": "example",
     "options": {"client_id": "example-client", "client_secret": "example-secret-fixture",
                 "authorization_endpoint": "http://127.0.0.1:9/authorize",
                 "token_endpoint": "http://127.0.0.1:9/token"}}'
"$passerelle" serve --config "$work_dir/ok.json" 2>"$work_dir/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|^passerelle: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work_dir/serve.err")
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || fail "the broker stopped: $(cat "$work_dir/serve.err")"
  sleep 0.1
done
[[ -n "$port" ]] || fail "the broker did not start listening: $(cat "$work_dir/serve.err")"
# Plain bash HTTP, so that the test needs no HTTP client installed.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
cat <&3 >"$work_dir/discovery.txt"
exec 3<&-
head -n 1 "$work_dir/discovery.txt" | grep -q '^HTTP/1.1 200' || fail "no discovery document: $(head -n 1 "$work_dir/discovery.txt")"
grep -q '"issuer"' "$work_dir/discovery.txt" || fail "discovery document without issuer"
kill "$pid"
wait "$pid" || true
trap - EXIT
echo "the installed broker started with facebook.so from $installed_plugins and example.so from $plugins_dir"

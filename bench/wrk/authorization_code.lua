-- Scenario c: authorization_code exchanges, each with a fresh code from the
-- pool compare.mjs made before the run (one PKCE verifier for all). Thread t
-- takes lines t, t + threads, ... When its share is spent it stops and sends
-- one last harmless request (discovery), counted apart as "extra"; the
-- time from its start to its last exchange is its active_us (compare.mjs
-- divides by the longest one when the pool ran out before the end).
-- Arguments: path=<token endpoint path> auth=<Authorization header value>
-- codes=<file> redirect=<redirect_uri, form-encoded> verifier=<code_verifier>
-- discovery=<discovery path> threads=<wrk's thread count>.
local common = require("common")
setup = common.setup
done = common.done

local codes = {}
local next_code = 1
local a
local started

function init(argv)
  a = common.args(argv)
  local all = common.lines(a.codes)
  for i = thread_id + 1, #all, tonumber(a.threads) do codes[#codes + 1] = all[i] end
  started = common.now_us()
  wrk.headers["Authorization"] = a.auth
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local code = codes[next_code]
  if not code then
    extra = extra + 1
    wrk.thread:stop()
    return wrk.format("GET", a.discovery, nil, "")
  end
  next_code = next_code + 1
  return wrk.format("POST", a.path, nil,
    "grant_type=authorization_code&code=" .. code .. "&redirect_uri=" .. a.redirect ..
    "&code_verifier=" .. a.verifier)
end

function response(status, headers, body)
  if status == 200 and body:find('"issuer"', 1, true) then return end  -- the extra one
  active_us = common.now_us() - started
  if status == 200 and not body:find('"access_token"', 1, true) then
    bad_bodies = bad_bodies + 1
  end
end

-- Scenario c: authorization_code exchanges, each with a fresh code from the
-- pool compare.mjs made before the run (one PKCE verifier for all). Thread t
-- takes lines t, t + threads, ... When its share is spent it stops and sends
-- one last harmless request (discovery), counted apart as "extra".
-- Arguments: path=<token endpoint path> auth=<Authorization header value>
-- codes=<file> redirect=<redirect_uri, form-encoded> verifier=<code_verifier>
-- discovery=<discovery path>.
local common = require("common")
setup = common.setup
done = common.done

local codes = {}
local next_code = 1
local a

function init(argv)
  a = common.args(argv)
  local all = common.lines(a.codes)
  for i = thread_id + 1, #all, thread_count do codes[#codes + 1] = all[i] end
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
  if status == 200 and not body:find('"access_token"', 1, true) and not body:find('"issuer"', 1, true) then
    bad_bodies = bad_bodies + 1
  end
end

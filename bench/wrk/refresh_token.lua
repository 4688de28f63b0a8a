-- Scenario b: refresh-token rotation. compare.mjs runs wrk with one
-- connection per thread, so each thread is one connection holding one
-- family: it sends its current refresh token and takes the new one from the
-- answer for its next request (one request in flight per family, never a
-- reuse). Line n of the file (n = thread id + 1) is the thread's first token.
-- Arguments: path=<token endpoint path> auth=<Authorization header value>
-- tokens=<file>.
local common = require("common")
setup = common.setup
done = common.done

local current

function init(argv)
  local a = common.args(argv)
  current = common.lines(a.tokens)[thread_id + 1]
  wrk.method = "POST"
  wrk.path = a.path
  wrk.headers["Authorization"] = a.auth
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. current)
end

function response(status, headers, body)
  if status ~= 200 then return end  -- counted by wrk; the family is spent
  local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then current = token else bad_bodies = bad_bodies + 1 end
end

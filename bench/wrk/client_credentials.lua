-- Scenario a: client_credentials grants, one JWT access token each.
-- Arguments: path=<token endpoint path> auth=<Authorization header value>.
local common = require("common")
setup = common.setup
done = common.done

function init(argv)
  local a = common.args(argv)
  wrk.method = "POST"
  wrk.path = a.path
  wrk.headers["Authorization"] = a.auth
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "grant_type=client_credentials"
end

function response(status, headers, body)
  if status == 200 and not body:find('"access_token"', 1, true) then
    bad_bodies = bad_bodies + 1
  end
end

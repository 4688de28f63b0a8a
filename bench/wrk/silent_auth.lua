-- Scenario d: silent authorization, /authorize?prompt=none&
-- response_mode=web_message on a live session (its cookies from one login
-- before the run). Each request has its own state; an answer without a code
-- (login_required and the like come back as a 200 page too) counts as bad.
-- Arguments: path=<authorization endpoint path plus query, without state>
-- cookie=<Cookie header value>.
local common = require("common")
setup = common.setup
done = common.done

local base
local n = 0

function init(argv)
  local a = common.args(argv)
  base = a.path
  wrk.headers["Cookie"] = a.cookie
end

function request()
  n = n + 1
  return wrk.format("GET", base .. "&state=s" .. thread_id .. "x" .. n)
end

function response(status, headers, body)
  if status == 200 and (not body:find('"code"', 1, true) or body:find('"error"', 1, true)) then
    bad_bodies = bad_bodies + 1
  end
end

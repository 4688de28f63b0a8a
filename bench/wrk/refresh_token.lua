-- Scenario b: refresh-token rotation, one family per connection. Thread t
-- takes lines t, t + threads, ... of the file, as many as it has
-- connections. A family's token is always either in flight or in the
-- thread's queue: an answer puts the new token at the back, the next
-- request takes the front one. So each family has one request in flight at
-- most and no token is sent twice, whichever connection carries it (wrk may
-- write a connection's next request after other answers came in).
-- A failed exchange spends its family; a request that finds the queue empty
-- then sends a token nobody holds, counted as an error by its status.
-- wrk also calls request() once on thread 0's state, from its main thread,
-- to check the request it builds; that call must not take a token.
-- Arguments: path=<token endpoint path> auth=<Authorization header value>
-- tokens=<file> threads=<wrk's thread count>.
local common = require("common")
setup = common.setup
done = common.done

local init_thread
local queue = {}
local first, last = 1, 0

local function push(token)
  last = last + 1
  queue[last] = token
end

local function pop()
  if first > last then return "spent" end
  local token = queue[first]
  queue[first] = nil
  first = first + 1
  return token
end

function init(argv)
  local a = common.args(argv)
  local all = common.lines(a.tokens)
  for i = thread_id + 1, #all, tonumber(a.threads) do push(all[i]) end
  init_thread = common.os_thread()
  wrk.method = "POST"
  wrk.path = a.path
  wrk.headers["Authorization"] = a.auth
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local token = common.os_thread() == init_thread and "checked-not-sent" or pop()
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  if status ~= 200 then return end  -- counted by wrk; the family is spent
  local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then push(token) else bad_bodies = bad_bodies + 1 end
end

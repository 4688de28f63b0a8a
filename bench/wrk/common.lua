-- Shared by the bench/wrk scripts that compare.mjs runs: the arguments
-- (key=value after `--`), a per-thread id (wrk starts each thread as soon
-- as it is set up, so a thread cannot learn the thread count here: the
-- scripts that need it get it as an argument), the count of answers whose status
-- was fine but whose body was not what the scenario expects, and one JSON
-- line at the end with the figures compare.mjs reads.
local ffi = require("ffi")

local common = {}

ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec* out);
unsigned long pthread_self(void);
]]
local kClockMonotonic = 1

-- Microseconds on the monotonic clock: wrk's own duration is the -d it was
-- given even when a script stops its threads early.
function common.now_us()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(kClockMonotonic, t)
  return tonumber(t.tv_sec) * 1e6 + tonumber(t.tv_nsec) / 1e3
end

-- The operating-system thread running the script: wrk runs a thread's
-- init() on its main thread and the requests on the thread's own.
function common.os_thread()
  return tonumber(ffi.C.pthread_self())
end

local threads = {}
local next_id = 0

function common.args(list)
  local out = {}
  for _, arg in ipairs(list) do
    local key, value = arg:match("^([^=]+)=(.*)$")
    if key then out[key] = value end
  end
  return out
end

-- The lines of a file, for tokens or codes handed over by compare.mjs.
function common.lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

function common.setup(thread)
  thread:set("thread_id", next_id)
  thread:set("bad_bodies", 0)
  thread:set("extra", 0)
  thread:set("active_us", 0)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

function common.done(summary, latency, requests)
  local bad, extra, active = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("bad_bodies") or 0)
    extra = extra + (t:get("extra") or 0)
    active = math.max(active, t:get("active_us") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'compare-result {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status_errors":%d,' ..
    '"socket_errors":%d,"bad_bodies":%d,"extra":%d,"active_us":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout, bad, extra, active))
end

return common

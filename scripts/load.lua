-- wrk script for scripts/load: cycles through request paths read from a file (one per line, given
-- after `--`), counts every answer that is not 2xx, and prints one line `LOAD {json}` at the end
-- with the figures scripts/load.py reads.
--
--   wrk -t2 -c50 -d60s --timeout 30s -s scripts/load.lua http://127.0.0.1:PORT -- paths.txt
--
-- Each wrk thread has its own Lua state: `setup` numbers the threads so each starts at a different
-- place in the list, and `done` adds up their counters.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no request paths in " .. tostring(args[1]))
  end
  i = ((thread_no or 1) * 7919) % #paths
  non2xx = 0
  seen = ""
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    -- The first few bad statuses, for the report (with several connections per thread, which
    -- path a response answers is not known here).
    if non2xx <= 5 then
      seen = seen .. status .. "; "
    end
  end
end

function done(summary, latency, requests)
  local bad, seen_all = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    seen_all = seen_all .. t:get("seen")
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "status_ge400": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"mean_us": %.0f, "seen": "%s"}\n',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, seen_all:gsub('[\\"]', "")))
end

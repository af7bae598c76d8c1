-- wrk script for bench/web.py: method, body and headers come from the environment, and the
-- summary is printed as one JSON line (wrk's own --latency output has no 95th percentile).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then wrk.body = body end
local headers = os.getenv("BENCH_HEADERS") or ""
for line in string.gmatch(headers, "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

-- A body with {v} gets a score of 2, 3 or 4 in its place, different from one request to the
-- next, so every save really changes something.
local counter = 0
if body and string.find(body, "{v}", 1, true) then
  request = function()
    counter = counter + 1
    local value = tostring(2 + counter % 3)
    return wrk.format(nil, nil, nil, (string.gsub(body, "{v}", value)))
  end
end

-- Each wrk thread has its own Lua state: count there, add up in done() through thread:get.
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  statuses = {}
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local codes = {}
  for status, count in pairs(totals) do table.insert(codes, string.format('"%d": %d', status, count)) end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(codes, ", ")))
end

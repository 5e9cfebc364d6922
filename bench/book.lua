-- wrk script: every request books a different card (tokens from TOKENS, one per line) into a
-- slot (SLOTS: comma-separated ids; one id = all on one hot slot). Counts answers by status.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  thread:set("nthreads", 0)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
  slots = {}
  for s in string.gmatch(os.getenv("SLOTS"), "[^,]+") do slots[#slots + 1] = s end
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  i = id - 1
  statuses = {}
end

function request()
  local token = tokens[(i % #tokens) + 1]
  local slot = slots[(i % #slots) + 1]
  i = i + nthreads
  return wrk.format("POST", "/api/v1/bookings",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
    '{"slotId":' .. slot .. '}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local secs = summary.duration / 1e6
  local parts = {}
  for k, v in pairs(total) do parts[#parts + 1] = k .. "=" .. v end
  table.sort(parts)
  io.write(string.format("RESULT statuses=%s created_per_s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    table.concat(parts, ","), (total[201] or 0) / secs, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end

-- wrk: mixed load for the soak test. 70 % case pages, 15 % worklists, 5 % case JSON, 10 % actions
-- (record_evidence through the API; with ACTIONS=0 case JSON instead). TOKEN is the bearer token, COOKIE the session cookie (environment).
local token = os.getenv("TOKEN")
-- ACTIONS=0: reads only, so that the data stops growing (does memory then stay flat?).
local actions = os.getenv("ACTIONS") ~= "0"
local cookie = os.getenv("COOKIE")
math.randomseed(7)
local body = '{"action":"record_evidence","source":"public_activity","summary":"Soak","obtained_on":"2026-11-20"}'
-- Each thread counts answers by status; `done` adds them up (wrk copies the tables out).
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
counts = {}
request = function()
  local r = math.random(1, 100)
  local case = math.random(1, 5000)
  if r <= 70 then
    return wrk.format("GET", "/sager/" .. case, { ["Cookie"] = "__Host-gennemgang=" .. cookie })
  elseif r <= 85 then
    return wrk.format("GET", "/sager?side=" .. math.random(1, 100), { ["Cookie"] = "__Host-gennemgang=" .. cookie })
  elseif r <= 90 or not actions then
    return wrk.format("GET", "/api/v1/cases/" .. case, { ["Authorization"] = "Bearer " .. token })
  else
    return wrk.format("POST", "/api/v1/cases/" .. case .. "/actions",
      { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
  end
end
-- By status and content type: pages answer text/html, the API application/json or, for errors,
-- application/problem+json, whose `title` says which kind of refusal it is.
response = function(status, headers, body)
  local key = tostring(status) .. "/" .. (headers["Content-Type"] or headers["content-type"] or "-")
  if status ~= 200 and body then
    key = key .. "/" .. (string.match(body, '"title":"([^"]*)"') or "")
  end
  counts[key] = (counts[key] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (connect %d, read %d, write %d, timeout %d, status %d)\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local line = "statuses"
  for status, n in pairs(total) do
    line = line .. string.format(" %s:%d", status, n)
  end
  io.write(line .. "\n")
end

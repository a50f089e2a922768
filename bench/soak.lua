-- wrk: mixed load for the soak test. 70 % case pages, 15 % worklists, 5 % case JSON, 10 % actions
-- (record_evidence through the API). TOKEN is the bearer token, COOKIE the session cookie (environment).
local token = os.getenv("TOKEN")
local cookie = os.getenv("COOKIE")
math.randomseed(7)
local body = '{"action":"record_evidence","source":"public_activity","summary":"Soak","obtained_on":"2026-11-20"}'
request = function()
  local r = math.random(1, 100)
  local case = math.random(1, 5000)
  if r <= 70 then
    return wrk.format("GET", "/sager/" .. case, { ["Cookie"] = "__Host-gennemgang=" .. cookie })
  elseif r <= 85 then
    return wrk.format("GET", "/sager?side=" .. math.random(1, 100), { ["Cookie"] = "__Host-gennemgang=" .. cookie })
  elseif r <= 90 then
    return wrk.format("GET", "/api/v1/cases/" .. case, { ["Authorization"] = "Bearer " .. token })
  else
    return wrk.format("POST", "/api/v1/cases/" .. case .. "/actions",
      { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
  end
end
-- Any answer but 200 is an error in the soak (the actions carry no If-Match, so no conflict is expected).
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (connect %d, read %d, write %d, timeout %d, status %d)\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end

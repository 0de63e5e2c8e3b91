-- make bench: the request comes from the environment, the summary goes to a JSON
-- file (BENCH_RESULT) with latency percentiles and every kind of error.
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODY     request body
--   BENCH_HEADERS  "Name: value|Name: value"

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
   wrk.body = body
end
local headers = os.getenv("BENCH_HEADERS")
if headers then
   for line in string.gmatch(headers, "[^|]+") do
      local name, value = line:match("^%s*([^:]+):%s*(.*)$")
      if name then
         wrk.headers[name] = value
      end
   end
end

function done(summary, latency, requests)
   local errors = summary.errors
   local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
   out:write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "p50": %d, "p90": %d, ' ..
      '"p95": %d, "p99": %d, "max": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      errors.connect, errors.read, errors.write, errors.status, errors.timeout,
      latency.min, latency.mean, latency.stdev,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max))
   out:close()
end

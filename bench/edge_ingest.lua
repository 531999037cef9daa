-- wrk script for bench/edge_ingest: POST /api/v1/ratings, each body sent once.
--   wrk -t T -c C -d S -s bench/edge_ingest.lua URL -- BODIES_PREFIX [wrap]
-- wrk thread i reads BODIES_PREFIX.i (bench_tickets --shards T) one line per request, with a
-- unique Idempotency-Key. "wrap" starts the file again when it runs out (for the no-op server,
-- which stores nothing); otherwise a thread out of bodies sends GET /healthz (counted as non-201
-- and as "exhausted", so a run that needed more bodies says so instead of sending a case twice).
-- done() prints one line: RESULT key=value ... (samples: status:error-id=count of the non-201 answers)

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- Per-thread state. created, exhausted and others are globals so done() can read them through
-- thread:get; id comes from setup().
local file, wrap, sent, healthz

function init(args)
  local prefix = args[1] or error("usage: -- BODIES_PREFIX [wrap]")
  wrap = args[2] == "wrap"
  file = assert(io.open(prefix .. "." .. id, "r"))
  sent, created, exhausted = 0, 0, 0
  others = {}  -- "status:error id" -> count, for answers other than 201
  healthz = wrk.format("GET", "/healthz")
end

local headers = { ["Content-Type"] = "application/json" }

function request()
  local body = file:read("*l")
  if not body and wrap then
    file:seek("set")
    body = file:read("*l")
  end
  if not body then
    exhausted = exhausted + 1
    return healthz
  end
  sent = sent + 1
  headers["Idempotency-Key"] = "bench-" .. id .. "-" .. sent
  return wrk.format("POST", "/api/v1/ratings", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    -- Which answers, with the first error id of the body (a 409 means a case was sent twice).
    local what = status .. ":" .. (body:match('"id":"([%w%._]+)"') or "")
    others[what] = (others[what] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_created, total_exhausted, counts = 0, 0, {}
  for _, t in ipairs(threads) do
    total_created = total_created + t:get("created")
    total_exhausted = total_exhausted + t:get("exhausted")
    for what, n in pairs(t:get("others")) do counts[what] = (counts[what] or 0) + n end
  end
  local samples = {}
  for what, n in pairs(counts) do table.insert(samples, what .. "=" .. n) end
  table.sort(samples)
  local e = summary.errors
  io.write(string.format(
    "RESULT duration_us=%d requests=%d created=%d exhausted=%d socket_errors=%d timeouts=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d samples=%s\n",
    summary.duration, summary.requests, total_created, total_exhausted,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    #samples > 0 and table.concat(samples, ",") or "-"))
end

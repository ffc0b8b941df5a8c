-- wrk script of the load benchmark (scripts/bench-load.sh): every request PUTs the sample
-- visit under a fresh id to /api/v1/visits/<id>, the body's "id" the same as the address.
--
-- Environment:
--   BENCH_BODY_FILE    the sample visit as the phone sends it (JSON, its "id" first)
--   BENCH_TOKENS_FILE  device tokens, one a line (optional): each request is sent by the
--                    next device in turn, as "Authorization: Bearer <token>"
--   BENCH_NONCE        a number that makes this run's ids differ from any other run's
--   BENCH_IDS_FILE     where done() writes the id of every 2xx answer, one a line (optional)
--
-- done() prints key=value lines (requests sent, 2xx, 201, non-2xx, socket errors, 2xx per
-- second, latency percentiles in ms) that the shell script reads.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

local prefix, suffix
local headers = { ["Content-Type"] = "application/json" }
local tokens = {}
local nonce = 0
-- Counters and lists are globals: done() reads them from each thread with thread:get.
sent, ok, created, failed = 0, 0, 0, 0
-- Ids of the 2xx answers, copied to the main thread by done() (thread:get copies tables).
answered = {}
-- The first few refusals, to show what went wrong.
refusals = {}

function init(args)
  local path = os.getenv("BENCH_BODY_FILE") or error("BENCH_BODY_FILE is not set")
  local file = io.open(path, "r") or error("cannot read " .. path)
  local body = file:read("*a"):gsub("%s+$", "")
  file:close()
  local id = body:match('^{"id":"([0-9a-f-]+)"') or error(path .. " does not start with the visit's id")
  local at = #'{"id":"'
  prefix = body:sub(1, at)
  suffix = body:sub(at + #id + 1)
  local tokens_path = os.getenv("BENCH_TOKENS_FILE")
  if tokens_path and tokens_path ~= "" then
    for line in io.lines(tokens_path) do
      if line ~= "" then
        tokens[#tokens + 1] = "Bearer " .. line
      end
    end
  end
  nonce = (tonumber(os.getenv("BENCH_NONCE") or "") or os.time()) % 0x100000000
end

-- A version-4-shaped UUID that no other request of this run, thread or run has.
local function fresh_id()
  return string.format("%08x-%04x-4000-8000-%012x", nonce, thread_index, sent)
end

function request()
  sent = sent + 1
  local id = fresh_id()
  if #tokens > 0 then
    headers["Authorization"] = tokens[(sent + thread_index) % #tokens + 1]
  end
  return wrk.format("PUT", "/api/v1/visits/" .. id, headers, prefix .. id .. suffix)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    if status == 201 then
      created = created + 1
    end
    answered[#answered + 1] = body:match('"id":"([0-9a-f-]+)"') or "?"
  else
    failed = failed + 1
    if #refusals < 3 then
      refusals[#refusals + 1] = status .. " " .. body:sub(1, 200)
    end
  end
end

function done(summary, latency, requests)
  local total = { sent = 0, ok = 0, created = 0, failed = 0 }
  local ids_path = os.getenv("BENCH_IDS_FILE")
  local ids = ids_path and ids_path ~= "" and (io.open(ids_path, "a") or error("cannot write " .. ids_path))
  for _, thread in ipairs(threads) do
    for key in pairs(total) do
      total[key] = total[key] + (thread:get(key) or 0)
    end
    if ids then
      for _, id in ipairs(thread:get("answered") or {}) do
        ids:write(id, "\n")
      end
    end
    for _, refusal in ipairs(thread:get("refusals") or {}) do
      io.write("refusal=", refusal, "\n")
    end
  end
  if ids then
    ids:close()
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local function ms(percent)
    return string.format("%.1f", latency:percentile(percent) / 1000)
  end
  io.write(string.format("seconds=%.1f\n", seconds))
  io.write(string.format("sent=%d\n", total.sent))
  io.write(string.format("answered_2xx=%d\n", total.ok))
  io.write(string.format("created_201=%d\n", total.created))
  io.write(string.format("non_2xx=%d\n", total.failed))
  io.write(string.format("socket_errors=%d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("rps_2xx=%.0f\n", total.ok / seconds))
  io.write("p50_ms=", ms(50), "\np90_ms=", ms(90), "\np99_ms=", ms(99), "\n")
  io.write(string.format("max_ms=%.1f\n", latency.max / 1000))
end

-- Shared by every scenario: thread ids, the seeded data, and one RESULT line at the end.
-- Loaded with dofile() from the scenario scripts; WL_BENCH_DATA is the seeder's OUTDIR.
bench = {threads = {}, data = os.getenv("WL_BENCH_DATA") or "build-bench/bench-data"}

function bench.info()
  local info = {}
  for line in io.lines(bench.data .. "/info.txt") do
    local k, v = line:match("^(%S+) (.*)$")
    if k then info[k] = tonumber(v) or v end
  end
  return info
end

function bench.lines(name)
  local t = {}
  for line in io.lines(bench.data .. "/" .. name) do t[#t + 1] = line end
  return t
end

-- works.txt ("bookId episodeCount" a line): ids, counts and their running sums.
function bench.works()
  local w = {ids = {}, counts = {}, upto = {}, total = 0}
  for line in io.lines(bench.data .. "/works.txt") do
    local id, n = line:match("^(%d+) (%d+)$")
    if id then
      local k = #w.ids + 1
      w.ids[k], w.counts[k] = tonumber(id), tonumber(n)
      w.total = w.total + w.counts[k]
      w.upto[k] = w.total
    end
  end
  return w
end

-- A uniformly random episode of all: (bookId, number).
function bench.random_episode(w)
  local g, lo, hi = math.random(w.total), 1, #w.ids
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if w.upto[mid] < g then lo = mid + 1 else hi = mid end
  end
  return w.ids[lo], g - (w.upto[lo] - w.counts[lo])
end

function bench.urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- Counters a scenario may bump in response(); summed over threads in done().
counts = {}
function bench.count(k) counts[k] = (counts[k] or 0) + 1 end

function setup(thread)
  thread:set("tid", #bench.threads)
  table.insert(bench.threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  local extra = {}
  for _, t in ipairs(bench.threads) do
    local c = t:get("counts")
    if type(c) == "table" then
      for k, v in pairs(c) do extra[k] = (extra[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(extra) do parts[#parts + 1] = k .. "=" .. v end
  table.sort(parts)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "non2xx=%d sockerr=%d timeouts=%d %s\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write, e.timeout, table.concat(parts, " ")))
end

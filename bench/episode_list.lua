-- A signed-in reader opening a random work's episode list: every episode with what it
-- costs that reader (their entitlements, wait-free timer and subscription looked up).
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
local works, auth
function init(args)
  works = bench.works()
  auth = {}
  for i, t in ipairs(bench.lines("tokens.txt")) do auth[i] = "Bearer " .. t end
  math.randomseed(4000 + tid)
end
function request()
  local w = works.ids[math.random(#works.ids)]
  return wrk.format("GET", "/api/books/" .. w .. "/episodes",
                    {Authorization = auth[math.random(#auth)]})
end

-- The subscriber reading a random episode of the whole database (every episode equally
-- likely): the work, the episode, the access decision under the subscription, ~12-20 KB
-- of text and a view counted with its reason.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
local works, headers
function init(args)
  works = bench.works()
  headers = {Authorization = "Bearer " .. bench.lines("subscriber.txt")[1]}
  math.randomseed(3000 + tid)
end
function request()
  local id, n = bench.random_episode(works)
  return wrk.format("GET", "/api/books/" .. id .. "/episodes/" .. n .. "/content", headers)
end

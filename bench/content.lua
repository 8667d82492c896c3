-- The text of a random book read by the subscriber: access check + ~20 KB body + a view counted.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
local nbooks, headers
function init(args)
  nbooks = bench.info().books
  headers = {Authorization = "Bearer " .. bench.lines("subscriber.txt")[1]}
  math.randomseed(2000 + tid)
end
function request()
  return wrk.format("GET", "/api/books/" .. math.random(nbooks) .. "/content", headers)
end

-- Book detail of a random book, anonymous.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
local nbooks
function init(args)
  nbooks = bench.info().books
  math.randomseed(1000 + tid)
end
function request()
  return wrk.format("GET", "/api/books/" .. math.random(nbooks))
end

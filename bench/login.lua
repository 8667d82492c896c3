-- Login of distinct readers (argon2id verification at the server's cost: slow by design).
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
local info, n, nthreads
function init(args)
  info = bench.info()
  nthreads = tonumber(os.getenv("WL_BENCH_THREADS") or "2")
  n = 0
end
function request()
  local i = (n * nthreads + tid) % info.readers + 1
  n = n + 1
  local body = string.format('{"email":"reader%05d@bench.local","password":"%s"}', i,
                             info.password)
  return wrk.format("POST", "/api/auth/login", {["Content-Type"] = "application/json"}, body)
end

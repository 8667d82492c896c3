-- Purchases by distinct members: every request is a (member, book) pair never used before
-- in this run, each with that member's own bearer token. Each 201 is appended to
-- purchases-TID.txt as "bookId balanceAfter" so that run.sh can check every acknowledged
-- purchase against the ledger in the database (no lost debit).
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
-- WL_BENCH_ROUND (1, 2, ...) numbers the purchase runs of one bench: each takes pairs of its own.
local auth, nbooks, nthreads, n, out, round
function init(args)
  local info = bench.info()
  auth = {}
  for i, t in ipairs(bench.lines("tokens.txt")) do auth[i] = "Bearer " .. t end
  nbooks = info.books
  nthreads = tonumber(os.getenv("WL_BENCH_THREADS") or "2")
  n = 0
  round = tonumber(os.getenv("WL_BENCH_ROUND") or "1") - 1
  out = io.open(bench.data .. "/purchases-" .. tid .. ".txt", "w")
end
function request()
  -- g runs over distinct integers across threads; the member cycles fastest and the book
  -- offset grows once per round of members, so (member, book) never repeats.
  local g = round * 10000000 + n * nthreads + tid
  n = n + 1
  local m = g % #auth
  local book = (m + math.floor(g / #auth)) % nbooks + 1
  return wrk.format("POST", "/api/books/" .. book .. "/purchase", {Authorization = auth[m + 1]})
end
function response(status, headers, body)
  if status == 201 then
    bench.count("s201")
    local book, bal = body:match('"bookId":(%d+).*"balanceAfter":(%d+)')
    out:write(book or "?", " ", bal or "?", "\n")
    if n % 256 == 0 then out:flush() end
  else
    bench.count("s" .. status)
  end
end

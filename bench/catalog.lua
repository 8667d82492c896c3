-- Catalog page: the 20 newest books.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/books?limit=20"

-- Search with a 3-syllable Korean word: answered by the FTS5 trigram index.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/books?limit=20&q=" .. bench.urlencode(bench.info().search_long)

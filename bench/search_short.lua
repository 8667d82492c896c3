-- Search with a 2-syllable Korean word: too short for the trigram index, so a scan.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/books?limit=20&q=" .. bench.urlencode(bench.info().search_short)

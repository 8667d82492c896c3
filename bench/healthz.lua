-- The ceiling: GET /healthz does no work beyond HTTP itself.
dofile((os.getenv("WL_BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/healthz"

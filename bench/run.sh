#!/usr/bin/env bash
# The benchmark harness (`make bench`): builds optimised, seeds a database directly, starts the
# server on an ephemeral loopback port and drives each scenario with wrk, with GET /healthz in
# the same run as the ceiling. Prints a table and writes it to build/bench.md.
#
# Knobs (environment): WL_BENCH_DURATION (s, default 10), WL_BENCH_CONNECTIONS (32),
# WL_BENCH_THREADS (wrk threads, 2), WL_BENCH_SERVER_THREADS (connections + 16),
# WL_BENCH_BOOKS (works, 10000), WL_BENCH_EPISODES (100000), WL_BENCH_MEMBERS (10000),
# WL_BENCH_SCENARIOS (list below), WL_BENCH_COVERS (books whose covers wl-bench-cover draws, 100),
# WL_PWHASH_MEM_KIB / WL_PWHASH_OPS (argon2id cost of seeder and server alike, server defaults),
# WL_BENCH_SLOW_MS / WL_BENCH_SLOW_BUYERS (the slow provider: bench/slow_provider.sh).
# WL_BENCH_ATTACKS (connections storm: the attack scenarios of bench/attack.mjs, run after the
# others against a server with its default flags; empty to skip), WL_BENCH_STORM_S (20).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${WL_BENCH_BUILD:-build-bench}
DATA=$BUILD/bench-data
REPORT=build/bench.md
DURATION=${WL_BENCH_DURATION:-10}
CONNS=${WL_BENCH_CONNECTIONS:-32}
WRK_THREADS=${WL_BENCH_THREADS:-2}
SERVER_THREADS=${WL_BENCH_SERVER_THREADS:-$((CONNS + 16))}
BOOKS=${WL_BENCH_BOOKS:-10000}
EPISODES=${WL_BENCH_EPISODES:-100000}
MEMBERS=${WL_BENCH_MEMBERS:-10000}
PWMEM=${WL_PWHASH_MEM_KIB:-9216}
PWOPS=${WL_PWHASH_OPS:-4}
SCENARIOS=${WL_BENCH_SCENARIOS:-healthz catalog search_short search_long detail content episode_list \
	episode_content purchase login healthz content purchase slow_on content purchase slow_off content \
	purchase slow_on content purchase slow_off content purchase slow_on content purchase slow_off healthz}
. bench/slow_provider.sh

ATTACKS=${WL_BENCH_ATTACKS-connections storm}

for tool in wrk curl sqlite3 cmake node; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (make bench installs it)"; exit 1; }
done

echo "== build ($BUILD, Release, no sanitizers)"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DENABLE_ASAN=OFF -DENABLE_UBSAN=OFF \
	-DWERROR=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target walking-library wl-bench-seed wl-fake-toss wl-bench-cover >/dev/null

# Covers: SVG + PNG 600x900 + PNG 300x450 of 100 books through the offline image generator,
# three runs (the issue's bar: SVG and the 600x900 PNG of 100 books in under 2 s).
echo "== covers (${WL_BENCH_COVERS:-100} books, 3 runs)"
COVER_RES=$("$BUILD/wl-bench-cover" "${WL_BENCH_COVERS:-100}" 3)
echo "$COVER_RES"
cover_val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$COVER_RES"; }

echo "== seed ($BOOKS works, $EPISODES episodes, $MEMBERS members)"
mkdir -p "$DATA" build
rm -f "$DATA"/purchases-*.txt "$DATA"/slow-*.txt
"$BUILD/wl-bench-seed" "$DATA/bench.db" "$DATA" --books "$BOOKS" --episodes "$EPISODES" --members "$MEMBERS" \
	--pwhash-mem-kib "$PWMEM" --pwhash-ops "$PWOPS"
# The seeded history was delivered long ago on a live server: no backlog of 100,000 events
# for the subscribers to work through while the scenarios run.
sqlite3 "$DATA/bench.db" "DELETE FROM outbox_delivery; DELETE FROM outbox;"
POINTS0=$(sqlite3 "$DATA/bench.db" "SELECT sum(points) FROM members")

echo "== start"
LOG=$DATA/server.log
PID=
cleanup() {
	[ ${#SLOW_PIDS[@]} -gt 0 ] && slow_off >/dev/null
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	toss_stop
	true
}
trap cleanup EXIT
toss_start
t0=$(date +%s%N)
env $(toss_server_env) "$BUILD/walking-library" serve --db "$DATA/bench.db" --listen 127.0.0.1:0 \
	--log-level warn --threads "$SERVER_THREADS" --pwhash-mem-kib "$PWMEM" --pwhash-ops "$PWOPS" \
	--payments toss 2>"$LOG" &
PID=$!
PORT=
for _ in $(seq 1 2000); do
	line=$(grep -m1 '"msg":"listening"' "$LOG" 2>/dev/null || true)
	if [ -n "$line" ]; then
		PORT=$(sed -n 's/.*"address":"[^"]*:\([0-9]*\)".*/\1/p' <<<"$line")
		READY_MS=$(sed -n 's/.*"readyMs":\([0-9.]*\).*/\1/p' <<<"$line")
		break
	fi
	kill -0 "$PID" 2>/dev/null || { echo "bench: the server exited:"; cat "$LOG"; exit 1; }
	sleep 0.002
done
[ -n "$PORT" ] || { echo "bench: no listening line"; cat "$LOG"; exit 1; }
URL=http://127.0.0.1:$PORT
until curl -fs -o /dev/null "$URL/readyz"; do sleep 0.002; done
t1=$(date +%s%N)
READYZ_MS=$(((t1 - t0) / 1000000))
echo "listening on $URL; readyMs $READY_MS (in process), /readyz 200 after $READYZ_MS ms (from exec)"

hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$PID/status"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

declare -a ROWS=()
HEALTH_SUM=0
HEALTH_N=0
PURCHASE_NOTE=""
PURCHASE_ROUND=0
run_scenario() {
	local name=$1 out res label=$1
	[ "$SLOW" = 1 ] && label=$name@slow
	[ "$name" = purchase ] && PURCHASE_ROUND=$((PURCHASE_ROUND + 1))
	out=$(WL_BENCH_DATA=$DATA WL_BENCH_DIR=bench WL_BENCH_THREADS=$WRK_THREADS \
		WL_BENCH_ROUND=$PURCHASE_ROUND \
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "bench/$name.lua" "$URL" 2>&1)
	res=$(grep '^RESULT' <<<"$out" || true)
	if [ -z "$res" ]; then
		echo "bench: wrk gave no result for $name:"
		echo "$out"
		exit 1
	fi
	kill -0 "$PID" 2>/dev/null || { echo "bench: the server died during $name"; tail "$LOG"; exit 1; }
	ROWS+=("$label $(rss_kb) $(hwm_kb) ${res#RESULT }")
	echo "$label: ${res#RESULT }  rss=$(($(rss_kb) / 1024))MB hwm=$(($(hwm_kb) / 1024))MB"
	if [ "$name" = healthz ]; then
		HEALTH_SUM=$(awk -v a="$HEALTH_SUM" -v b="$(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$res")" \
			'BEGIN {print a + b}')
		HEALTH_N=$((HEALTH_N + 1))
	fi
}

# Every acknowledged purchase (201: a one-episode book, or every remaining episode of a
# serial) must be in the ledger with its debits, one ledger row and one entitlement per
# episode, every balance must equal its ledger, and debits, entitlements and the points that
# left agree.
verify_purchases() {
	local acked db
	sleep 0.2 # requests still in flight when wrk stopped
	cat "$DATA"/purchases-*.txt >"$DATA/purchases.txt"
	acked=$(wc -l <"$DATA/purchases.txt")
	db=$(sqlite3 -batch "$DATA/bench.db" <<-SQL
		.bail on
		CREATE TEMP TABLE acked(book_id INTEGER, balance_after INTEGER);
		.mode csv
		.separator " "
		.import $DATA/purchases.txt acked
		.mode list
		.separator "|"
		SELECT
		  (SELECT count(*) FROM ledger WHERE kind = 'purchase'),
		  (SELECT count(*) FROM episode_entitlements WHERE kind = 'purchase'),
		  (SELECT count(DISTINCT member_id || ':' || batch) FROM episode_entitlements
		     WHERE kind = 'purchase'),
		  (SELECT coalesce(sum(a.n - coalesce(d.n, 0)), 0) FROM
		     (SELECT book_id, balance_after, count(*) n FROM acked GROUP BY 1, 2) a
		     LEFT JOIN (SELECT book_id, balance_after, count(*) n FROM ledger
		                WHERE kind = 'purchase' GROUP BY 1, 2) d
		     USING (book_id, balance_after) WHERE a.n > coalesce(d.n, 0)),
		  (SELECT count(*) FROM members m WHERE m.points !=
		     (SELECT coalesce(sum(amount), 0) FROM ledger l WHERE l.member_id = m.id)),
		  (SELECT coalesce(-sum(amount), 0) FROM ledger WHERE kind = 'purchase'),
		  (SELECT coalesce(sum(price), 0) FROM episode_entitlements WHERE kind = 'purchase'),
		  $POINTS0 - (SELECT sum(points) FROM members);
	SQL
	)
	IFS='|' read -r ledger ents batches missing badbal debited granted left <<<"$db"
	echo "purchases: 201s $acked, purchases stored $batches, ledger purchase rows $ledger," \
		"episode entitlements $ents, acknowledged but not in the ledger $missing," \
		"balances not equal to their ledger $badbal," \
		"points debited $debited / entitlement prices $granted / points gone $left"
	if [ "$missing" = 0 ] && [ "$badbal" = 0 ] && [ "$ledger" = "$ents" ] &&
		[ "$debited" = "$granted" ] && [ "$debited" = "$left" ] && [ "$batches" -ge "$acked" ] &&
		[ "$batches" -le $((acked + CONNS)) ]; then
		PURCHASE_NOTE="no lost debit: $acked purchases acknowledged, each in the ledger; $batches purchases stored (the difference from 201s are requests in flight when wrk stopped) with $ledger ledger rows = $ents episode entitlements; every balance equals its ledger; $debited P debited = prices of the entitlements = points gone from the wallets"
	else
		PURCHASE_NOTE="PURCHASE CHECK FAILED: 201s $acked, stored $batches, ledger $ledger, entitlements $ents, missing $missing, bad balances $badbal, debited $debited, granted $granted, gone $left"
	fi
	echo "$PURCHASE_NOTE"
}

echo "== scenarios: ${DURATION}s each, $CONNS connections, $WRK_THREADS wrk threads, server --threads $SERVER_THREADS"
for s in $SCENARIOS; do
	case $s in
	slow_on | slow_off) $s ;;
	*) run_scenario "$s" ;;
	esac
	# the first run only: later ones run while points are bought
	[ "$s" = purchase ] && [ "$PURCHASE_ROUND" = 1 ] && verify_purchases
done
SLOW_NOTE=
[[ " $SCENARIOS " == *" slow_on "* ]] && slow_report
PEAK_KB=$(hwm_kb)
sleep 1.2 # the view buffer is flushed every second
VIEWS=$(sqlite3 "$DATA/bench.db" "SELECT (SELECT count(*) FROM episode_views) || ' view marks, '
	|| (SELECT sum(views) FROM episodes) || ' views on episodes, '
	|| (SELECT sum(views) FROM books) || ' on works'" 2>/dev/null || echo "?")
kill -TERM "$PID"
wait "$PID" || true
PID=

# The attack scenarios: a fresh server with its default flags on a copy of the database.
declare -a ATTACK_ROWS=()
if [ -n "$ATTACKS" ]; then
	echo "== attack scenarios (default flags): $ATTACKS"
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # 1,000+ sockets on each side
	for a in $ATTACKS; do
		rm -f "$DATA"/attack.db*
		"$BUILD/walking-library" backup --db "$DATA/bench.db" "$DATA/attack.db" >/dev/null
		res=$(node bench/attack.mjs "$a" "$BUILD/walking-library" "$DATA/attack.db" | grep '^RESULT') ||
			{ echo "bench: attack scenario $a gave no result"; exit 1; }
		echo "${res#RESULT }"
		ATTACK_ROWS+=("${res#RESULT }")
	done
fi

CEIL=$(awk -v s="$HEALTH_SUM" -v n="$HEALTH_N" 'BEGIN {printf "%.1f", n ? s / n : 0}')
{
	echo "# Walking Library benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), wrk and server on the same machine."
	echo "Data: $BOOKS works holding $EPISODES episodes (a third one-episode books, the rest serials; first"
	echo "episode ~20 KB of text, later ones ~12 KB; SVG covers: 32 drawn, then reused), $MEMBERS members. wrk: ${DURATION}s per scenario,"
	echo "$CONNS connections, $WRK_THREADS threads, loopback. Server: Release build, --threads $SERVER_THREADS, --log-level warn,"
	echo "argon2id ${PWMEM} KiB x ${PWOPS}. Ratio: requests/s over the mean of the /healthz runs ($CEIL/s)."
	echo
	echo "| scenario | requests/s | p50 ms | p99 ms | ratio to /healthz | non-2xx | RSS after (MB) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for row in "${ROWS[@]}"; do
		awk -v ceil="$CEIL" '{
			name = $1; rss = $2 / 1024
			for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			ratio = ceil > 0 ? 100 * v["rps"] / ceil : 0
			printf("| %s | %.0f | %.2f | %.2f | %.0f %% | %d | %.1f |\n", name, v["rps"],
			       v["p50_us"] / 1000, v["p99_us"] / 1000, ratio,
			       v["non2xx"] + v["sockerr"] + v["timeouts"], rss)
		}' <<<"$row"
	done
	echo
	echo "- Peak RSS of the server over the whole run (VmHWM): $((PEAK_KB / 1024)) MB ($PEAK_KB kB)"
	echo "- Start-up to ready on the seeded database: readyMs $READY_MS ms (in process, logged);" \
		"/readyz answered 200 $READYZ_MS ms after exec"
	[ -n "$PURCHASE_NOTE" ] && echo "- Purchases: $PURCHASE_NOTE"
	[ -n "$SLOW_NOTE" ] && echo "- Slow provider: $SLOW_NOTE"
	echo "- Covers: $(cover_val covers) books drawn (SVG + PNG 600x900 + PNG 300x450 each) in" \
		"$(cover_val median_ms) ms (median of 3 runs; min $(cover_val min_ms), max $(cover_val max_ms))," \
		"$(cover_val per_cover_ms) ms a cover, CPU $(cover_val cpu_ms) ms (median); ~$(cover_val svg_kb) KB SVG + $(cover_val png_kb) KB PNG each;" \
		"the first cover, fonts loading, $(cover_val first_ms) ms"
	echo "- Content reads counted: $VIEWS (one subscriber: at most one view per episode and day)"
	if [ ${#ATTACK_ROWS[@]} -gt 0 ]; then
		echo
		echo "Attack scenarios (bench/attack.mjs), each against a fresh server with its default flags"
		echo "on a copy of the database, probes from an address of their own (127.0.0.3):"
		echo "connections = 1,000 idle connections from 20 addresses + 100 dribbled heads and 50"
		echo "dribbled bodies from another (past its cap of 64, closed at once), 20 GET /healthz"
		echo "probes (bar: all within 1 s); storm = 64 addresses signing up and logging in flat out"
		echo "for ${WL_BENCH_STORM_S:-20} s while the catalog (GET /api/books?limit=20) is read one request"
		echo "after another (bar: p99 under 200 ms). RSS is the server's peak (bar: under 128 MB)."
		echo
		echo "| scenario | probes | answered | p50 ms | p99 ms | max ms | peak RSS MB | load |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
		for row in "${ATTACK_ROWS[@]}"; do
			awk '{
				for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				load = ""
				for (i = 1; i <= NF; i++) if ($i ~ /^(open|signup_|login_)/) load = load " " $i
				printf("| %s | %s | %s | %s | %s | %s | %s |%s |\n", v["scenario"],
				       v["probes"] != "" ? v["probes"] : v["catalog"], v["ok"], v["p50_ms"],
				       v["p99_ms"], v["max_ms"], v["hwm_mb"], load)
			}' <<<"$row"
		done
	fi
} >"$REPORT"
echo
cat "$REPORT"

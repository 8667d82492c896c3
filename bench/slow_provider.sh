# The payment provider answering slowly, sourced by run.sh. The server runs with
# --payments toss against the fake Toss (wl-fake-toss); the pseudo-scenarios slow_on and
# slow_off set the provider's answer time to WL_BENCH_SLOW_MS (default 3000) and back to 0,
# and while it is slow WL_BENCH_SLOW_BUYERS members (default 16) buy points over and over:
# order, pay at the fake's checkout, confirm (the server asks the provider: it answers in
# 3 s), all in one process (bench/slow_buyers.mjs). The scenarios run meanwhile are labelled
# "@slow" in the table; slow_report compares their requests/s with the same scenarios' runs
# while the provider was quick (medians).
SLOW_MS=${WL_BENCH_SLOW_MS:-3000}
SLOW_BUYERS=${WL_BENCH_SLOW_BUYERS:-16}
SLOW=0
TOSS=
TOSS_PID=
SLOW_PIDS=()
TOSS_KEYS=(--client-key test_ck_walkinglibrarybench --secret-key test_sk_walkinglibrarybench)

# Starts the fake Toss; its stdin (fd 7) is held open: it stops when that closes.
toss_start() {
	local line
	rm -f "$DATA/toss.in" && mkfifo "$DATA/toss.in"
	"$BUILD/wl-fake-toss" "${TOSS_KEYS[@]}" <"$DATA/toss.in" >"$DATA/toss.out" 2>&1 &
	TOSS_PID=$!
	exec 7>"$DATA/toss.in"
	for _ in $(seq 1 500); do
		line=$(head -n1 "$DATA/toss.out" 2>/dev/null || true)
		TOSS=$(sed -n 's/.*"listening":"\([^"]*\)".*/\1/p' <<<"$line")
		[ -n "$TOSS" ] && return 0
		sleep 0.01
	done
	echo "bench: wl-fake-toss did not start"
	cat "$DATA/toss.out"
	exit 1
}

toss_stop() {
	[ -n "$TOSS_PID" ] || return 0
	exec 7>&-
	wait "$TOSS_PID" 2>/dev/null || true
	TOSS_PID=
}

# The server's options and environment for the fake provider.
toss_server_env() {
	echo WL_TOSS_CLIENT_KEY=test_ck_walkinglibrarybench WL_TOSS_SECRET_KEY=test_sk_walkinglibrarybench \
		WL_TOSS_API_BASE="$TOSS" WL_TOSS_SDK_URL="$TOSS/v2/standard"
}

slow_on() {
	curl -fs -o /dev/null -X POST -d "{\"ms\":$SLOW_MS}" "$TOSS/__fake/latency"
	rm -f "$DATA/slow.stop"
	tail -n "$SLOW_BUYERS" "$DATA/tokens.txt" >"$DATA/slow.tokens"
	node bench/slow_buyers.mjs "$URL" "$TOSS" "$DATA/slow.tokens" "$DATA" &
	SLOW_PIDS+=($!)
	sleep 0.5 # the first confirms are waiting on the provider
	SLOW=1
	echo "slow_on: the provider answers in $SLOW_MS ms; $SLOW_BUYERS members buying points"
}

slow_off() {
	touch "$DATA/slow.stop"
	wait "${SLOW_PIDS[@]}" 2>/dev/null || true
	SLOW_PIDS=()
	curl -fs -o /dev/null -X POST -d '{"ms":0}' "$TOSS/__fake/latency"
	SLOW=0
	echo "slow_off: $(cat "$DATA"/slow-*.txt 2>/dev/null | grep -c '^200$') confirms so far"
}

# Every confirmed charge credited once, every balance its ledger; then the rates.
slow_report() {
	local ok bad db paid charges badbal
	ok=$(cat "$DATA"/slow-*.txt 2>/dev/null | grep -c '^200$' || true)
	bad=$(cat "$DATA"/slow-*.txt 2>/dev/null | grep -vc '^200$' || true)
	db=$(sqlite3 -batch "$DATA/bench.db" "SELECT
		(SELECT count(*) FROM points_orders WHERE status = 'paid'),
		(SELECT count(*) FROM ledger WHERE kind = 'charge' AND amount = 1000),
		(SELECT count(*) FROM members m WHERE m.points !=
		   (SELECT coalesce(sum(amount), 0) FROM ledger l WHERE l.member_id = m.id))")
	IFS='|' read -r paid charges badbal <<<"$db"
	SLOW_NOTE="provider answering in $SLOW_MS ms, $SLOW_BUYERS members buying points meanwhile:"
	SLOW_NOTE+=" $ok confirms answered 200 (others: $bad), $paid orders paid, $charges charges in the"
	SLOW_NOTE+=" ledger, $badbal balances not equal to their ledger"
	[ "$ok" = "$paid" ] && [ "$paid" = "$charges" ] && [ "$badbal" = 0 ] ||
		SLOW_NOTE="SLOW PROVIDER CHECK FAILED: $SLOW_NOTE"
	for s in content purchase; do
		SLOW_NOTE+="; $s: $(printf '%s\n' "${ROWS[@]}" | awk -v s="$s" '
			function median(a, n,   i, j, t) {
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			}
			{ for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rps") r = kv[2] } }
			$1 == s { q[++nq] = r } $1 == s "@slow" { w[++nw] = r }
			END {
				if (!nq || !nw) { print "not run both ways"; exit }
				mq = median(q, nq); mw = median(w, nw)
				printf("median %.0f/s quick (%d runs), %.0f/s slow (%d runs): %.1f %%", mq, nq, mw, nw, 100 * mw / mq)
			}')"
	done
	echo "$SLOW_NOTE"
}

#!/bin/sh
# The dependency rule of DESIGN.md: domain sees only domain and ports (header-only
# interfaces); ports see only domain; adapters never include each other or app.
top=${1:-.}
cd "$top" || exit 2
fail=0
check() { # dir, allowed-prefix regex
	bad=$(grep -rnE '^#include "' "$1" | grep -vE "#include \"($2)" || true)
	if [ -n "$bad" ]; then
		echo "layering: $1 includes what it may not:"; echo "$bad"; fail=1
	fi
}
check src/domain 'domain/|ports/'
check src/ports 'domain/|ports/'
for d in src/adapters/*/; do
	name=$(basename "$d")
	check "$d" "domain/|ports/|adapters/$name/"
done
# The domain library links nothing but libc: no third-party header either.
bad=$(grep -rnE '#include <(sqlite3|cjson|cJSON|curl|sodium|civetweb|pthread)' src/domain src/ports || true)
[ -n "$bad" ] && { echo "layering: library header in domain/ports:"; echo "$bad"; fail=1; }
[ $fail -eq 0 ] && echo "layering: 1 passed, 0 failed" || echo "layering: 0 passed, 1 failed"
exit $fail

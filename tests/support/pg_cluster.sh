#!/bin/sh
# A throwaway PostgreSQL cluster for the tests (the ctest fixture pg, CMakeLists.txt):
#   pg_cluster.sh start DIR   initdb in DIR, a server listening on DIR's Unix socket only
#   pg_cluster.sh stop DIR    stops it and removes DIR
# Debian's server binaries, as an unprivileged user: as root, the postgres system user the
# package creates. No TCP (listen_addresses=''), fsync off: a test cluster, never data.
set -eu
cmd=${1:?start or stop}
dir=${2:?the cluster directory}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "pg_cluster: no PostgreSQL server (apt-get install postgresql postgresql-contrib)" >&2
	exit 1
fi
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case $cmd in
start)
	stop # a cluster left behind by a run that was killed
	mkdir -p "$dir"
	chmod 700 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 32MB
CONF
	if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
		>/dev/null; then
		cat "$dir/server.log" >&2
		exit 1
	fi
	echo "pg_cluster: started on $dir"
	;;
stop)
	stop
	echo "pg_cluster: stopped"
	;;
*)
	echo "pg_cluster: start or stop, not $cmd" >&2
	exit 2
	;;
esac

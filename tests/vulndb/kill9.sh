#!/bin/sh
# kill9.sh VIGIL DATA [SHARED] — `kill -9` at any moment of an import
# leaves the previous DB usable and unchanged.
#
# The import SIGKILLs itself after entry N (VIGIL_DB_TEST_KILL_AFTER, a
# deterministic stand-in for an external kill -9 at that moment), for N
# across the whole run; after each kill the DB must still open, report the
# same status and answer the same lookup, and the next import must clean
# up the stale DB.new and succeed.
set -eu
vigil=$1 data=$2 shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/v.sqlite

"$vigil" db --db "$db" import "$data/samples/osv" >/dev/null
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/before"
"$vigil" db --db "$db" lookup npm lodash > "$tmp/lookup-before"
test -s "$tmp/lookup-before"

check() {
	"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/after"
	cmp "$tmp/before" "$tmp/after" || { echo "status changed after kill at $1"; exit 1; }
	"$vigil" db --db "$db" lookup npm lodash > "$tmp/lookup-after"
	cmp "$tmp/lookup-before" "$tmp/lookup-after" || { echo "lookup changed after kill at $1"; exit 1; }
}

for n in 1 2 5 10 20 30 40; do
	set +e
	VIGIL_DB_TEST_KILL_AFTER=$n "$vigil" db --db "$db" import --force \
		"$data/samples" "$data/excerpts" >/dev/null 2>&1
	rc=$?
	set -e
	[ $rc -eq 137 ] || [ $rc -eq 0 ] || { echo "unexpected exit $rc at $n"; exit 1; }
	[ $rc -eq 137 ] || continue   # ran to completion before entry n
	check "$n"
done

# a kill -9 from outside, while a large real archive streams in
if [ -n "$shared" ] && [ -f "$shared/debian/debian-osv.tar.xz" ]; then
	"$vigil" db --db "$db" import "$shared/debian/debian-osv.tar.xz" >/dev/null 2>&1 &
	pid=$!
	# wait until the import has written part of DB.new, then kill it
	i=0
	while [ ! -s "$db.new" ] && [ $i -lt 600 ]; do i=$((i+1)); sleep 0.1; done
	sleep 1
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	check external
fi

# the next import removes the stale DB.new and succeeds
"$vigil" db --db "$db" import "$data/samples/osv" >/dev/null
test ! -e "$db.new"
echo "kill9: ok"

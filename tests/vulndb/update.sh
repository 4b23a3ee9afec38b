#!/bin/sh
# update.sh VIGIL DATA — `vigil db update` against a local mirror
# (feedserver.py): first fetch, 304 on the second run, a connection
# dropped mid-download then resumed with a Range request, a pinned sha256
# that does not match, and a corrupted archive — the last three leave the
# previous DB intact.
set -eu
vigil=$1 data=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
srv=$tmp/srv log=$tmp/requests db=$tmp/v.sqlite
mkdir "$srv"
python3 "$here/feedserver.py" "$srv" "$tmp/port" "$log" &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0; while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done
base=http://127.0.0.1:$(cat "$tmp/port")
fail() { echo "update test: $*"; cat "$log"; exit 1; }

cp "$data/excerpts/mixed-excerpt.tar.xz" "$srv/mixed.tar.xz"
cp "$data/excerpts/kev-excerpt.csv" "$srv/kev.csv"
kevsum=sha256:$(sha256sum "$srv/kev.csv" | cut -d' ' -f1)
printf 'mixed %s/mixed.tar.xz\nkev %s/kev.csv %s\n' "$base" "$base" "$kevsum" > "$tmp/feeds"
up() { "$vigil" db --db "$db" update --feeds "$tmp/feeds" "$@"; }

# 1. first update: both fetched (200) and imported
up > "$tmp/out" || fail "first update failed"
grep -q '2 fetched' "$tmp/out" || fail "expected 2 fetched: $(cat "$tmp/out")"
[ "$(grep -c ' 200 ' "$log")" -eq 2 ] || fail "expected two 200s"
"$vigil" db --db "$db" lookup almalinux:9 openssl | grep -q ALSA-2023:0946 || fail "no ALSA after update"
"$vigil" db --db "$db" show CVE-2021-44228 | grep -q '^kev: yes' || fail "no KEV"

# 2. nothing changed: one request per feed, each a 304
: > "$log"
up > "$tmp/out" || fail "second update failed"
grep -q '2 not modified' "$tmp/out" || fail "expected 304s: $(cat "$tmp/out")"
[ "$(grep -c ' 304 ' "$log")" -eq 2 ] || fail "expected two 304s"
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/status0"

# 3. a new archive whose first download is dropped halfway
tar -C "$data" -cJf "$srv/mixed.tar.xz" samples/osv
touch -d '+1 minute' "$srv/mixed.tar.xz"
: > "$srv/mixed.tar.xz.droponce"
: > "$log"
if up > "$tmp/out" 2> "$tmp/err"; then fail "dropped download reported success"; fi
grep -q 'partial download kept' "$tmp/err" || fail "no partial message: $(cat "$tmp/err")"
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//;s/"imported_at":[0-9]*//g' > "$tmp/s1"
sed 's/"imported_at":[0-9]*//g' "$tmp/status0" > "$tmp/s0"
cmp -s "$tmp/s0" "$tmp/s1" || fail "DB changed by a failed update"
up > "$tmp/out" || fail "resumed update failed"
grep -q ' 206 bytes=' "$log" || fail "no Range request"
grep -q '1 resumed' "$tmp/out" || fail "not resumed: $(cat "$tmp/out")"
"$vigil" db --db "$db" lookup npm lodash | grep -q GHSA-35jh-r3h4-6jhm || fail "resumed archive not imported"
"$vigil" db --db "$db" lookup almalinux:9 openssl | grep -q ALSA && fail "old archive's records not removed"

# 4. a pinned checksum that does not match: refused, DB unchanged
echo "CVE-0000-0000,x" >> "$srv/kev.csv"
touch -d '+2 minutes' "$srv/kev.csv"
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/status1"
if up > "$tmp/out" 2> "$tmp/err"; then fail "bad checksum accepted"; fi
grep -q 'expected sha256:' "$tmp/err" || fail "no digest message: $(cat "$tmp/err")"
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/status2"
cmp -s "$tmp/status1" "$tmp/status2" || fail "DB changed by a bad checksum"

# 5. a corrupted archive: downloaded, import fails, previous DB stays
printf 'mixed %s/mixed.tar.xz\n' "$base" > "$tmp/feeds"
head -c 3000 "$data/excerpts/mixed-excerpt.tar.xz" > "$srv/mixed.tar.xz"
touch -d '+3 minutes' "$srv/mixed.tar.xz"
if up > "$tmp/out" 2> "$tmp/err"; then fail "corrupt archive accepted"; fi
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/status3"
cmp -s "$tmp/status2" "$tmp/status3" || fail "DB changed by a corrupt archive"
"$vigil" db --db "$db" lookup npm lodash | grep -q GHSA-35jh-r3h4-6jhm || fail "lookup lost"
echo "update: ok"

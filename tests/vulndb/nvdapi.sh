#!/bin/sh
# nvdapi.sh VIGIL SRC PAGEMAX — `vigil db update` against a local NVD CVE
# API 2.0 (nvdserver.py) serving the real NVD records of SRC (a directory
# of cve objects, or ../shared's nvd-api-2.0-records.tar.xz; exit 77 when
# absent): a full sync in pages (the server returns at most PAGEMAX per
# page), the apiKey header on every request, an incremental run that asks
# only for what changed since the last sync (lastModStartDate), a changed
# record re-imported alone, a 503 retried, and a garbage page that fails
# the update, keeps the DB and does not advance the sync time.
set -eu
vigil=$1 src=$2 pagemax=$3
[ -e "$src" ] || { echo "no $src: skipping"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
srv=$tmp/srv log=$tmp/requests db=$tmp/v.sqlite
mkdir "$srv"
if [ -d "$src" ]; then
	cp "$src"/CVE-*.json "$srv/"
else
	tar xJf "$src" -C "$tmp" && cp "$tmp"/api-2.0/CVE-*.json "$srv/"
fi
n=$(ls "$srv" | wc -l)
python3 "$here/nvdserver.py" "$srv" "$pagemax" "$tmp/port" "$log" &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0; while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done
base=http://127.0.0.1:$(cat "$tmp/port")
fail() { echo "nvdapi test: $*"; cat "$log"; exit 1; }
printf 'nvd %s/rest/json/cves/2.0\n' "$base" > "$tmp/feeds"
up() { NVD_API_KEY=k-123 VIGIL_NVD_DELAY_MS=0 "$vigil" db --db "$db" update \
	--feeds "$tmp/feeds"; }

# 1. full sync: ceil(n / pagemax) pages, startIndex 0, pagemax, …
up > "$tmp/out" || fail "first update failed: $(cat "$tmp/out")"
pages=$(( (n + pagemax - 1) / pagemax ))
[ "$(wc -l < "$log")" -eq "$pages" ] || fail "expected $pages requests"
[ "$(grep -c ' - k-123 200$' "$log")" -eq "$pages" ] || fail "pages without apiKey or with a window"
[ "$(cut -d' ' -f1 "$log" | tr '\n' ' ')" = "$(seq 0 "$pagemax" $(( (pages - 1) * pagemax )) | tr '\n' ' ')" ] || fail "startIndex sequence"
"$vigil" db --db "$db" status | grep -q "^vulnerabilities: $n\$" || fail "expected $n vulnerabilities: $("$vigil" db --db "$db" status)"
"$vigil" db --db "$db" show CVE-2021-44228 >/dev/null 2>&1 || [ -d "$src" ] || fail "no CVE-2021-44228"

# 2. incremental, nothing modified since: one windowed request, no import
: > "$log"
sleep 1 # sync times have one-second resolution
up > "$tmp/out" || fail "second update failed"
grep -q '1 not modified' "$tmp/out" || fail "expected not modified: $(cat "$tmp/out")"
[ "$(wc -l < "$log")" -eq 1 ] && ! grep -q ' - k-123' "$log" || fail "expected one windowed request"
since=$(cut -d' ' -f3 "$log")

# 3. one record changes (a new reference, lastModified now): fetched alone
rec=$(ls "$srv" | grep '^CVE' | head -1); id=${rec%.json}
refs=$("$vigil" db --db "$db" show "$id" | sed -n 's/^references: //p')
python3 - "$srv/$rec" <<'PY'
import datetime, json, sys
p = sys.argv[1]
r = json.load(open(p))
r['lastModified'] = datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.000')
r.setdefault('references', []).append({'url': 'https://vigil.test/nvdapi-changed'})
json.dump(r, open(p, 'w'))
PY
: > "$log"
sleep 1
up > "$tmp/out" || fail "third update failed"
grep -q '1 fetched' "$tmp/out" || fail "expected 1 fetched: $(cat "$tmp/out")"
grep -q "imported 1 records, $((n - 1)) unchanged" "$tmp/out" || fail "expected one record re-imported: $(cat "$tmp/out")"
[ "$(cut -d' ' -f3 "$log")" != "$since" ] || fail "window did not advance"
[ "$("$vigil" db --db "$db" show "$id" | sed -n 's/^references: //p')" -eq $((refs + 1)) ] || fail "changed record not updated"

# 4. rate limited once: retried
: > "$log"; touch "$srv/ratelimit.once"
up > "$tmp/out" || fail "rate-limited update failed"
grep -q ' 503$' "$log" && grep -q ' 200$' "$log" || fail "expected a 503 then a 200"

# 5. a garbage page: the update fails, the DB and the sync time stay
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/s0"
: > "$log"; touch "$srv/garbage.once"
if up > "$tmp/out" 2>&1; then fail "garbage page accepted"; fi
"$vigil" db --db "$db" status --json | sed 's/"built_at":[0-9]*//' > "$tmp/s1"
cmp -s "$tmp/s0" "$tmp/s1" || fail "DB changed by a failed update"
w1=$(cut -d' ' -f3 "$log"); : > "$log"
up > /dev/null || fail "update after garbage failed"
[ "$(cut -d' ' -f3 "$log")" = "$w1" ] || fail "sync time advanced by a failed run"
echo "nvd api: ok ($n records, $pages pages)"

#!/bin/sh
# shared_archives.sh VIGIL SHARED — stream real archives from
# ../shared/data/vulndata (skips with 77 when it is absent) and check
# lookups against facts from EXPECTED.tsv and the archives.
set -eu
vigil=$1 shared=$2
[ -d "$shared" ] || { echo "no $shared: skipping"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/v.sqlite
"$vigil" db --db "$db" import "$shared/alpine/alpine-secdb.tar.xz" \
	"$shared/redhat/almalinux-osv.tar.xz" "$shared/osv/npm-ghsa.tar.xz" \
	"$shared/kev/known_exploited_vulnerabilities.json" > "$tmp/out"
cat "$tmp/out"
grep -q ' 0 warnings' "$tmp/out" || true
"$vigil" db --db "$db" lookup alpine:3.19 curl | grep -q '^CVE-2023-38545	alpine:3.19	curl	apk	fixed	introduced=0,fixed=8.4.0-r0'
"$vigil" db --db "$db" lookup almalinux:9 openssl | grep -q '^ALSA-2023:0946	'
"$vigil" db --db "$db" lookup npm minimist | grep -q '^GHSA-xvch-5gv4-984h	'
"$vigil" db --db "$db" show GHSA-xvch-5gv4-984h | grep -q '^alias: CVE-2021-44906'
# second run: every entry unchanged
"$vigil" db --db "$db" import "$shared/alpine/alpine-secdb.tar.xz" \
	"$shared/redhat/almalinux-osv.tar.xz" "$shared/osv/npm-ghsa.tar.xz" \
	"$shared/kev/known_exploited_vulnerabilities.json" > "$tmp/out2"
grep -q ' 0 records' "$tmp/out2"
echo "shared archives: ok"

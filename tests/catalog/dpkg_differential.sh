#!/bin/sh
# Differential test: the dpkg cataloger against dpkg-query itself.
# For the image root ROOT, every package dpkg-query -W lists as installed
# ("install ok installed") must be reported by vigil with the same
# version, source package and source version, and nothing else.
# Usage: dpkg_differential.sh CATALOG_DUMP ROOT. Skips (77) without dpkg.
set -eu
dump=$1
root=$2
command -v dpkg-query >/dev/null 2>&1 || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/admin/info" "$tmp/admin/updates"
cp "$root/var/lib/dpkg/status" "$tmp/admin/status"
dpkg-query --admindir="$tmp/admin" -W \
  -f='${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}\n' |
  awk -F'\t' '$1 == "installed" { print "deb\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 }' |
  LC_ALL=C sort >"$tmp/want"
"$dump" "$root" | awk -F'\t' '$1 == "deb"' | LC_ALL=C sort >"$tmp/got"
n=$(wc -l <"$tmp/want")
[ "$n" -gt 0 ] || { echo "dpkg-query listed nothing" >&2; exit 1; }
if ! diff -u "$tmp/want" "$tmp/got"; then
  echo "FAIL: vigil differs from dpkg-query ($n packages)" >&2
  exit 1
fi
echo "ok: $n packages identical to dpkg-query"

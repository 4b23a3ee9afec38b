#!/bin/sh
# Differential test: our rpmdb readers against rpm itself (Debian's rpm
# 4.18 reads BDB read-only and SQLite databases). For the database file
# DB (named as rpm names it: Packages or rpmdb.sqlite), the packages
# (name, [epoch:]version-release, arch) and every owned file path must be
# the same as `rpm --dbpath -qa` prints; gpg-pubkey entries are not
# packages and are left out on both sides.
# Usage: rpm_differential.sh CATALOG_DUMP DB. Skips (77) without rpm.
set -eu
dump=$1
db=$2
command -v rpm >/dev/null 2>&1 || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dbpath" "$tmp/root/var/lib/rpm"
cp "$db" "$tmp/dbpath/"
cp "$db" "$tmp/root/var/lib/rpm/"
rpm --dbpath "$tmp/dbpath" -qa \
  --qf 'rpm\t%{NAME}\t%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\t%{ARCH}\n[file\t%{=NAME}\t%{FILENAMES}\n]' \
  2>/dev/null | grep -v "gpg-pubkey" | LC_ALL=C sort >"$tmp/want"
"$dump" -f "$tmp/root" | awk -F'\t' 'BEGIN { OFS = "\t" }
  $1 == "rpm" { print $1, $2, $3, $6; next } { print }' |
  LC_ALL=C sort >"$tmp/got"
n=$(grep -c '^rpm' "$tmp/want" || true)
[ "$n" -gt 0 ] || { echo "rpm listed nothing for $db" >&2; exit 1; }
if ! diff -u "$tmp/want" "$tmp/got" | head -40; then :; fi
cmp -s "$tmp/want" "$tmp/got" || { echo "FAIL: differs from rpm -qa" >&2; exit 1; }
echo "ok: $n packages, $(grep -c '^file' "$tmp/want" || true) files identical to rpm -qa"

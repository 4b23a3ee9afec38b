#!/usr/bin/env bash
# Checks the committed sample image tests/data/sample/sample.tar.gz: every
# digest right (imgcheck.py), accepted by skopeo, and squashed by umoci (an
# independent layer applier) into the tree PROVENANCE.md describes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sample="$here/../data/sample/sample.tar.gz"
for t in umoci skopeo; do
  command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size=$(stat -c %s "$sample")
[ "$size" -le $((6 << 20)) ] || { echo "sample is $size bytes, over 6 MiB"; exit 1; }
python3 "$here/imgcheck.py" "$sample"
"$here/make-sample" oci "$tmp/oci"
python3 "$here/imgcheck.py" "$tmp/oci"
umoci unpack --rootless --image "$tmp/oci:sample" "$tmp/b" >/dev/null 2>&1
r="$tmp/b/rootfs"
st="$r/var/lib/dpkg/status"
[ "$(grep -c '^Package: ' "$st")" -eq 8 ]
! grep -q '^Package: curl$' "$st"
grep -A12 '^Package: libexpat1$' "$st" | grep -qx 'Version: 2.5.0-1+deb12u5'
[ ! -e "$r/usr/bin/curl" ] && [ ! -e "$r/var/lib/dpkg/info/curl.list" ]
[ -e "$r/usr/lib/x86_64-linux-gnu/libcurl.so.4" ]
[ "$(readlink "$r/app/run")" = bin/hello ] && [ "$(readlink "$r/lib")" = usr/lib ]
[ "$(stat -c %i "$r/app/conf/app.conf")" = "$(stat -c %i "$r/app/conf/app.conf.default")" ]
grep -q 'VERSION_CODENAME=bookworm' "$r/etc/os-release"
[ -s "$r/usr/share/doc/libssl3/copyright" ]
echo "ok: sample image valid, squash as documented"

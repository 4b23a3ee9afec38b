#!/usr/bin/env bash
# vigil inspect on a real Debian bookworm root filesystem (debootstrap,
# cached by tests/tools/debian-rootfs), packed by our writer as a docker
# archive and an OCI layout, by umoci (an independent writer) as an OCI
# layout, and read as a plain directory: every packing must show exactly
# the files `find` sees in the tree, with the same types and sizes.
# Exit 77 (skip) when the root filesystem cannot be built here.
set -euo pipefail
vigil=$1
tools=$(cd "$(dirname "$0")/../tools" && pwd)
root=$("$tools/debian-rootfs" rootfs) || exit $?
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# path<TAB>type<TAB>size for regular files, path<TAB>type otherwise.
(cd "$root" && find . -mindepth 1 ! -name .vigil-done -printf '%P\t%y\t%s\n') |
  awk -F'\t' '{t=$2; if (t=="f") print $1"\tfile\t"$3; else if (t=="d") print $1"\tdir"; else if (t=="l") print $1"\tsymlink"; else print $1"\tother"}' |
  LC_ALL=C sort >"$tmp/want"

listing() {
  "$vigil" inspect --format json --files "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["files"]:
    t = f["type"] if f["type"] in ("file", "dir", "symlink") else "other"
    print(f["path"] + "\t" + t + ("\t%d" % f["size"] if t == "file" else ""))
' | LC_ALL=C sort
}

"$tools/debian-rootfs" pack docker-archive "$tmp/d.tar" --compress none >/dev/null
"$tools/debian-rootfs" pack oci-dir "$tmp/oci" >/dev/null
"$tools/debian-rootfs" umoci "$tmp/umoci" >/dev/null
# dir: skips the pseudo-filesystem mount points (dev, proc, sys, run) and
# sees the cache's stamp file, which the packings leave out.
grep -Ev '^(dev|proc|sys|run)(/|'$'\t'')' "$tmp/want" >"$tmp/want-dir"
printf '.vigil-done\tfile\t%s\n' "$(stat -c %s "$root/.vigil-done")" >>"$tmp/want-dir"
LC_ALL=C sort -o "$tmp/want-dir" "$tmp/want-dir"

for src in "docker-archive:$tmp/d.tar" "oci-dir:$tmp/oci" "oci-dir:$tmp/umoci" "dir:$root"; do
  listing "$src" >"$tmp/got"
  want="$tmp/want"
  [ "${src%%:*}" = dir ] && want="$tmp/want-dir"
  if ! diff -u "$want" "$tmp/got" >"$tmp/diff"; then
    echo "FAIL: $src differs from the tree:"; head -20 "$tmp/diff"; exit 1
  fi
  echo "ok: $src: $(wc -l <"$tmp/got") paths"
done

#!/usr/bin/env bash
# Cross-checks our image writer against umoci + skopeo on a real Debian
# bookworm minbase root filesystem (debootstrap, cached in $VIGIL_CACHE).
# Both packings must be accepted by skopeo and umoci, and umoci must unpack
# both to the same file list as the cached tree itself.
# Exit 77 (CTest skip) when debootstrap cannot run here (not root, offline).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here"
root=$("$tools/debian-rootfs" rootfs) || exit $?
for t in umoci skopeo; do
  command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tools/debian-rootfs" pack oci-dir "$tmp/ours" --config <(echo '{"config":{"Cmd":["bash"]}}')
"$tools/debian-rootfs" pack docker-archive "$tmp/ours.tar" --compress none
"$tools/debian-rootfs" umoci "$tmp/theirs" "$tmp/theirs.tar"

python3 "$tools/imgcheck.py" "$tmp/ours"
python3 "$tools/imgcheck.py" "$tmp/ours.tar"
python3 "$tools/imgcheck.py" "$tmp/theirs"
python3 "$tools/imgcheck.py" "$tmp/theirs.tar"
skopeo inspect oci:"$tmp/ours" >/dev/null
skopeo inspect docker-archive:"$tmp/ours.tar" >/dev/null
skopeo inspect docker-archive:"$tmp/theirs.tar" >/dev/null

listing() { (cd "$1" && find . -mindepth 1 ! -name .vigil-done | LC_ALL=C sort); }
umoci unpack --rootless --image "$tmp/ours:bookworm" "$tmp/b1" >/dev/null 2>&1
umoci unpack --rootless --image "$tmp/theirs:bookworm" "$tmp/b2" >/dev/null 2>&1
listing "$root" >"$tmp/want"
listing "$tmp/b1/rootfs" >"$tmp/got-ours"
listing "$tmp/b2/rootfs" >"$tmp/got-theirs"
diff -u "$tmp/want" "$tmp/got-ours"
diff -u "$tmp/want" "$tmp/got-theirs"
n=$(wc -l <"$tmp/want")
[ "$n" -gt 5000 ] || { echo "only $n paths in the rootfs?"; exit 1; }
grep -q '^Package: libc6$' "$tmp/b1/rootfs/var/lib/dpkg/status"
echo "ok: $n paths, ours and umoci's agree"

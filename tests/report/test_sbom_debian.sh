#!/usr/bin/env bash
# The issue's proof: on a real debootstrapped Debian bookworm image
# (tests/tools/debian-rootfs, cached in $VIGIL_CACHE), every package that
# dpkg itself lists for that root filesystem is reported by `vigil sbom`
# with the same version, source package and source version — and vigil
# reports no deb package dpkg does not know. The image is packed as an
# OCI layout (gzip layer) and written in all four formats; CycloneDX and
# SPDX (schema-validated) must carry the same packages, the table too.
# Exit 77 (skip) when the root filesystem cannot be built here.
set -euo pipefail
vigil=$1
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../tools"
root=$("$tools/debian-rootfs" rootfs) || exit $?
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dpkg-query -W -f='${Package}\t${Version}\t${source:Package}\t${source:Version}\n' \
  --admindir="$root/var/lib/dpkg" | LC_ALL=C sort >"$tmp/want"
[ -s "$tmp/want" ] || { echo "FAIL: dpkg-query listed nothing"; exit 1; }

"$tools/debian-rootfs" pack oci-dir "$tmp/img" >/dev/null
export SOURCE_DATE_EPOCH=1700000000
for fmt in json cyclonedx spdx table; do
  "$vigil" sbom --format "$fmt" --output "$tmp/out.$fmt" "oci-dir:$tmp/img"
done

python3 - "$tmp" >"$tmp/got.unsorted" <<'PY'
import json, sys
tmp = sys.argv[1]
d = json.load(open(tmp + "/out.json"))
if d["distro"]["id"] != "debian" or d["distro"]["version_id"] != "12":
    sys.exit("FAIL: distro is %r" % d["distro"])
if d["unknowns"]:
    sys.exit("FAIL: unknowns on a clean image: %r" % d["unknowns"][:3])
pk = sorted((p["name"], p["version"]) for p in d["packages"])
cdx = json.load(open(tmp + "/out.cyclonedx"))
if sorted((c["name"], c["version"]) for c in cdx["components"]
          if c["type"] == "library") != pk:
    sys.exit("FAIL: cyclonedx packages differ from json")
spdx = json.load(open(tmp + "/out.spdx"))
if sorted((p["name"], p["versionInfo"]) for p in spdx["packages"]
          if p["SPDXID"].startswith("SPDXRef-Package-")) != pk:
    sys.exit("FAIL: spdx packages differ from json")
table = open(tmp + "/out.table").read()
if "Packages (%d)" % len(pk) not in table:
    sys.exit("FAIL: table does not list %d packages" % len(pk))
for p in d["packages"]:
    if p["type"] == "deb":
        print("\t".join([p["name"], p["version"], p["source"]["name"] or "",
                         p["source"]["version"] or ""]))
PY
LC_ALL=C sort "$tmp/got.unsorted" >"$tmp/got"
if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
  echo "FAIL: vigil sbom differs from dpkg-query (- dpkg, + vigil):"
  head -40 "$tmp/diff"
  exit 1
fi
python3 "$here/validate.py" cyclonedx "$tmp/out.cyclonedx"
python3 "$here/validate.py" spdx "$tmp/out.spdx"
echo "ok: $(wc -l <"$tmp/want") packages match dpkg-query"

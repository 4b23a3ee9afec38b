#!/bin/sh
# e2e_cpe.sh VIGIL DATA — `vigil scan --cpe` end to end on real NVD records
# (tests/data/vulndb/samples/nvd/CVE-2022-42889.json, API 2.0, and
# tests/data/match/cpe/nvdcve-1.1-excerpt.json, JSON 1.1) and a CycloneDX
# SBOM in JSON and in XML (tests/data/match/cpe/sbom-cpe.cdx.*):
#   - without --cpe: no finding, exit 0;
#   - with --cpe: CVE-2022-42889 on commons-text 1.9 (namespace nvd:cpe,
#     match_rule cpe, fixed 1.10.0), none on 1.10.0, none for F-Secure
#     (its NVD configuration is "running on" windows or macos) and a
#     cpe-conditional warning saying so; --fail-on high exits 1; the
#     table and --explain show the rule.
set -eu
vigil=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$vigil" db --db "$tmp/db.sqlite" import "$data/vulndb/samples/nvd/CVE-2022-42889.json" \
	"$data/match/cpe/nvdcve-1.1-excerpt.json" >/dev/null

for sbom in "$data/match/cpe/sbom-cpe.cdx.json" "$data/match/cpe/sbom-cpe.cdx.xml"; do
	"$vigil" scan --db "$tmp/db.sqlite" --max-db-age 0 --format json \
		--output "$tmp/off.json" "sbom:$sbom" 2>/dev/null ||
		fail "scan without --cpe exited $?"
	set +e
	"$vigil" scan --db "$tmp/db.sqlite" --max-db-age 0 --cpe --fail-on high \
		--format json --output "$tmp/on.json" "sbom:$sbom" 2>/dev/null
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "$sbom: --cpe --fail-on high exited $rc, want 1"
	python3 - "$tmp/off.json" "$tmp/on.json" "$sbom" <<'PY' || exit 1
import json, sys
off, on, name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def die(msg):
    print("FAIL: %s: %s" % (name, msg), file=sys.stderr); sys.exit(1)
if off["findings"]:
    die("findings without --cpe: %s" % [f["id"] for f in off["findings"]])
fs = on["findings"]
got = sorted((f["id"], f["package"]["version"] if isinstance(f["package"], dict)
              else f.get("version")) for f in fs)
if len(fs) != 1:
    die("want exactly CVE-2022-42889 on 1.9, got %s" % got)
f = fs[0]
text = json.dumps(f)
if f["id"] != "CVE-2022-42889" or "1.9" not in text:
    die("wrong finding %s" % got)
if f.get("match_rule") != "cpe" or "nvd:cpe" not in text or "1.10.0" not in text:
    die("finding does not explain itself as a CPE match: %s" % text[:400])
kinds = [w["kind"] for w in on["warnings"]]
msgs = " ".join(w["message"] for w in on["warnings"])
if "cpe-conditional" not in kinds or "CVE-2022-28883" not in msgs:
    die("no cpe-conditional warning for F-Secure: %s" % on["warnings"])
print("ok %s" % name)
PY
	"$vigil" scan --db "$tmp/db.sqlite" --max-db-age 0 --cpe \
		--explain CVE-2022-42889 "sbom:$sbom" >"$tmp/explain.txt" 2>/dev/null ||
		fail "$sbom: --explain exited $?"
	grep -q "rule:      cpe: CPE match (--cpe): the package's CPE cpe:2.3:a:apache:commons_text:1.9" \
		"$tmp/explain.txt" || fail "$sbom: --explain does not show the CPE rule"
	grep -q "in namespace nvd:cpe" "$tmp/explain.txt" ||
		fail "$sbom: --explain does not show namespace nvd:cpe"
	"$vigil" scan --db "$tmp/db.sqlite" --max-db-age 0 --cpe --format table "sbom:$sbom" \
		>"$tmp/table.txt" 2>/dev/null || true
	grep -q "rule cpe: CPE match" "$tmp/table.txt" ||
		fail "$sbom: the table does not show the CPE rule"
done

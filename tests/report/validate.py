#!/usr/bin/env python3
"""validate.py — validate SBOM documents against the official schemas.

    validate.py cyclonedx FILE...   CycloneDX 1.5 (bom-1.5.schema.json)
    validate.py spdx FILE...        SPDX 2.3 (spdx-schema.json)
    validate.py sarif FILE...       SARIF 2.1.0 (sarif-schema-2.1.0.json,
                                    OASIS errata01, JSON Schema draft-04)
    validate.py selftest            the validator itself: every CycloneDX
                                    test vector valid-*.json passes, every
                                    invalid-*.json fails; the SPDX 2.3
                                    example passes, broken copies fail

The schemas are the copies in tests/data/report/schemas (see PROVENANCE.md
there). CycloneDX's schema refers to spdx.schema.json and
jsf-0.82.schema.json by relative name; both are resolved from the same
folder, never from the network. Uses Debian's python3-jsonschema (4.10,
RefResolver) and also runs on newer versions. Exit 0 valid, 1 invalid.
"""
import copy
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "data", "report", "schemas")
CDX = os.path.join(SCHEMAS, "cyclonedx-1.5")
SPDX = os.path.join(SCHEMAS, "spdx-2.3")
SARIF = os.path.join(SCHEMAS, "sarif-2.1.0")


def import_jsonschema():
    # Debian's python3-jsonschema is the validator we pin (RefResolver
    # API); a python3 earlier on PATH (pyenv) may carry another version or
    # none, so run under /usr/bin/python3 when it is there.
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    try:
        import jsonschema  # noqa: F401
        return jsonschema
    except ImportError:
        sys.exit("validate.py: python3-jsonschema is not installed "
                 "(scripts/install-deps --test)")


jsonschema = import_jsonschema()


def patch_extras_msg():
    """jsonschema 4.10 (Debian 12) sorts the extra items to word an
    additionalItems error, which raises TypeError when they are objects:
    CycloneDX's `licenses` oneOf meets that for any component with two
    licenses, although the document is valid. Word the message unsorted.
    Newer releases no longer sort there."""
    try:
        from jsonschema import _utils, _validators
    except ImportError:
        return
    if not hasattr(_validators, "extras_msg"):
        return

    def extras_msg(extras):
        verb = "was" if len(extras) == 1 else "were"
        return ", ".join(repr(e) for e in extras), verb
    _validators.extras_msg = extras_msg
    _utils.extras_msg = extras_msg


patch_extras_msg()


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validator(kind):
    warnings.simplefilter("ignore", DeprecationWarning)
    if kind == "cyclonedx":
        main = load(os.path.join(CDX, "bom-1.5.schema.json"))
        store = {}
        for name in ("bom-1.5.schema.json", "spdx.schema.json",
                     "jsf-0.82.schema.json"):
            s = load(os.path.join(CDX, name))
            store[s["$id"]] = s
            store[name] = s
    elif kind == "sarif":
        main = load(os.path.join(SARIF, "sarif-schema-2.1.0.json"))
        # draft-04 names itself with "id"; its "#/definitions/…" refs
        # resolve against that URL, which must come from here, not the net
        store = {main["id"]: main}
    else:
        main = load(os.path.join(SPDX, "spdx-schema.json"))
        store = {}
    cls = jsonschema.validators.validator_for(main)
    resolver = jsonschema.RefResolver.from_schema(main, store=store)
    return cls(main, resolver=resolver,
               format_checker=jsonschema.FormatChecker())


def errors(v, doc):
    return sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))


def check_files(kind, paths):
    v = validator(kind)
    bad = 0
    for p in paths:
        errs = errors(v, load(p))
        for e in errs[:10]:
            print("%s: %s: %s" % (p, "/".join(map(str, e.absolute_path)),
                                  e.message[:300]))
        if errs:
            bad += 1
        else:
            print("ok: %s (%s)" % (p, kind))
    return 1 if bad else 0


# Vectors whose only fault is a string format (date-time) that needs an
# optional jsonschema dependency (rfc3339-validator) to be checked.
FORMAT_ONLY = {"invalid-metadata-timestamp-1.5.json"}


def sarif_selftest():
    """The SARIF validator accepts a minimal valid log and rejects broken
    copies (wrong version, a result level outside the enum, a result
    without a message)."""
    v = validator("sarif")
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}},
            "results": [{"ruleId": "X", "level": "error",
                         "message": {"text": "m"}}]}]}
    fails = 0
    if errors(v, good):
        print("FAIL: a valid SARIF log is rejected")
        fails += 1
    for mutate in (lambda d: d.update(version="2.0.0"),
                   lambda d: d["runs"][0]["results"][0].update(level="fatal"),
                   lambda d: d["runs"][0]["results"][0].pop("message")):
        d = copy.deepcopy(good)
        mutate(d)
        if not errors(v, d):
            print("FAIL: a broken SARIF log is accepted")
            fails += 1
    return fails


def selftest():
    v = validator("cyclonedx")
    tests = os.path.join(CDX, "tests")
    fails = 0
    for name in sorted(os.listdir(tests)):
        errs = errors(v, load(os.path.join(tests, name)))
        want_valid = name.startswith("valid-")
        if want_valid and errs:
            print("FAIL: %s rejected: %s" % (name, errs[0].message[:200]))
            fails += 1
        elif not want_valid and not errs and name not in FORMAT_ONLY:
            print("FAIL: %s accepted" % name)
            fails += 1
    s = validator("spdx")
    ex = load(os.path.join(SPDX, "SPDXJSONExample-v2.3.spdx.json"))
    if errors(s, ex):
        print("FAIL: the SPDX 2.3 example is rejected")
        fails += 1
    for mutate in (lambda d: d.pop("spdxVersion"),
                   lambda d: d["packages"][0].pop("SPDXID"),
                   lambda d: d["relationships"][0].update(relationshipType="LIKES"),
                   lambda d: d["packages"][0]["externalRefs"][0].update(referenceCategory="NOPE")):
        d = copy.deepcopy(ex)
        mutate(d)
        if not errors(s, d):
            print("FAIL: a broken SPDX document is accepted")
            fails += 1
    fails += sarif_selftest()
    print("selftest: %s" % ("FAIL" if fails else "ok"))
    return 1 if fails else 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "selftest":
        return selftest()
    if len(sys.argv) < 3 or sys.argv[1] not in ("cyclonedx", "spdx", "sarif"):
        print(__doc__, file=sys.stderr)
        return 2
    return check_files(sys.argv[1], sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())

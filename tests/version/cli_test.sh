#!/bin/sh
# cli_test.sh — `vigil version` end to end: answers, --stdin, errors (one
# line naming the string and the scheme, exit 2) and --help.
# usage: cli_test.sh VIGIL
set -u
V=$1
fail=0
check() { # description, expected, actual
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: expected '$2', got '$3'"
		fail=1
	fi
}
check "deb compare" "<" "$($V version compare --scheme deb 1.0~rc1 1.0)"
check "rpm compare" ">" "$($V version compare --scheme rpm 1:1.0-1 2.0-1)"
check "pypi alias" "=" "$($V version compare --scheme pypi 1.0-1 1.0.post1)"
check "npm satisfies" "true" "$($V version satisfies --scheme npm 1.4.0 '^1.2 || ^2')"
check "maven satisfies" "false" "$($V version satisfies --scheme maven 2.0 '[1.0,2.0)')"
check "stdin" "<
=
error" "$(printf '1.0\t2.0\n2.0\t2.0\nx\t1\n' | $V version compare --scheme deb --stdin 2>/dev/null)"
printf '1.0\t2.0\nx\t1\n' | $V version compare --scheme deb --stdin >/dev/null 2>&1
check "stdin exit on invalid line" "2" "$?"
err=$($V version compare --scheme deb 'a!b' 1.0 2>&1 >/dev/null)
check "invalid exit" "2" "$($V version compare --scheme deb 'a!b' 1.0 >/dev/null 2>&1; echo $?)"
check "invalid message" "vigil: 'a!b' is not a valid deb version" "$err"
check "one line" "1" "$(printf '%s\n' "$err" | wc -l | tr -d ' ')"
check "bad range exit" "2" "$($V version satisfies --scheme pep440 1.0 '~=1' >/dev/null 2>&1; echo $?)"
check "unknown scheme" "2" "$($V version compare --scheme cobol 1 2 >/dev/null 2>&1; echo $?)"
check "help" "0" "$($V version --help >/dev/null; echo $?)"
check "missing operand" "2" "$($V version compare --scheme deb 1 >/dev/null 2>&1; echo $?)"
exit $fail

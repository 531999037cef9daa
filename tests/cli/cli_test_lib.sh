# Shared by the CLI test scripts: run a command, compare exit code and output, count failures.
# Source it after setting `hcp`; then call `finish` last.
failures=0
checks=0
work=$(mktemp -d)
err=$work/stderr
trap 'rm -rf "$work"' EXIT

# expect NAME EXPECTED_EXIT EXPECTED_STDOUT_SUBSTRING -- command...   (stdin from $input if set)
expect() {
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  local rc
  out=$("$@" < "${input:-/dev/null}" 2>"$err")
  rc=$?
  checks=$((checks + 1))
  if [ "$rc" != "$want_rc" ] || [[ "$out" != *"$want_out"* ]]; then
    failures=$((failures + 1))
    echo "FAIL $name: exit $rc (want $want_rc), stdout:"
    echo "$out" | head -20
    echo "stderr:"; head -5 "$err"
    echo "  wanted stdout containing: $want_out"
  else
    echo "ok   $name"
  fi
}
check() {  # check NAME CONDITION...
  local name=$1
  shift
  checks=$((checks + 1))
  if "$@"; then echo "ok   $name"; else failures=$((failures + 1)); echo "FAIL $name"; fi
}
stderr_has() {
  checks=$((checks + 1))
  if grep -q -- "$1" "$err"; then echo "ok   stderr has $1"; else failures=$((failures + 1)); echo "FAIL stderr lacks $1"; cat "$err"; fi
}
with() { input=$work/stdin; printf '%s' "$1" > "$input"; }
finish() {
  echo "$checks checks, $failures failed"
  [ "$failures" = 0 ]
}

#!/usr/bin/env bash
# `hcp admin` as an operator meets it: units, users and roles, passwords shown once and stored
# only as argon2id hashes, CSV import that reports every bad row and then imports nothing, a
# disabled user who can no longer sign in to a real centre, the audit trail; on SQLite and (with
# HCP_TEST_PG, as scripts/test provides) on PostgreSQL.
hcp=${1:?usage: admin_cli_test.sh path/to/hcp}
source "$(dirname "$0")/cli_test_lib.sh"
cd "$work"

expect "help names every subcommand" 0 "user disable" -- "$hcp" admin --help
for part in "unit add" "user add" "import" "--password-stdin" "auditor"; do
  check "help names $part" grep -q -- "$part" <<<"$out"
done
check "hcp --help lists admin" bash -c "'$hcp' --help | grep -q '^  admin '"

run_on() {  # run_on LABEL STORE-ARGS...
  local label=$1
  shift
  expect "$label: unit add" 0 "" -- "$hcp" admin unit add --code U-A --name 甲单位 "$@"
  expect "$label: unit add again" 1 "" -- "$hcp" admin unit add --code U-A --name 甲单位 "$@"
  stderr_has "admin.exists"
  expect "$label: a handler without a unit" 2 "" -- "$hcp" admin user add --name h0 --role handler "$@"
  stderr_has "--unit"
  expect "$label: an unknown role" 2 "" -- "$hcp" admin user add --name h0 --role boss "$@"
  expect "$label: a unit that does not exist" 1 "" -- "$hcp" admin user add --name h0 --role handler --unit U-Z "$@"
  stderr_has "no unit U-Z"
  expect "$label: user add prints a generated password" 0 "" -- "$hcp" admin user add --name alice --role handler --unit U-A "$@"
  generated=$out
  check "$label: the password is 20 characters" test "${#generated}" = 20
  with "short"
  expect "$label: a short password from stdin" 1 "" -- "$hcp" admin user add --name bob --role reviewer --password-stdin "$@"
  with $'long enough secret\n'
  expect "$label: a password from stdin prints nothing" 0 "" -- "$hcp" admin user add --name bob --role reviewer --password-stdin "$@"
  check "$label: and stdout is empty" test -z "$out"
  input=
  expect "$label: user add again" 1 "" -- "$hcp" admin user add --name alice --role admin "$@"

  printf 'code,name\nU-B,乙单位\nU-B,again\n' > bad_units.csv
  printf 'name,role,unit\ncarol,auditor,\ndave,boss,\nerin,handler,U-Q\n' > bad_users.csv
  expect "$label: import with bad rows" 1 "" -- "$hcp" admin import --units bad_units.csv --users bad_users.csv "$@"
  stderr_has "bad_units.csv line 3: unit U-B appears twice"
  stderr_has "bad_users.csv line 3: role \"boss\""
  stderr_has "bad_users.csv line 4: unit U-Q is neither"
  stderr_has "nothing was imported"
  expect "$label: nothing of it was imported" 1 "" -- "$hcp" admin user disable --name carol "$@"
  printf '\xef\xbb\xbfcode,name\r\nU-B,"乙单位, 分局"\r\n' > units.csv
  printf 'name,role,unit\ncarol,auditor,\nfrank,handler,U-B\n' > users.csv
  expect "$label: import" 0 "name,password" -- "$hcp" admin import --units units.csv --users users.csv "$@"
  check "$label: a password per imported user" test "$(grep -c '^\(carol\|frank\),[0-9A-Za-z]\{20\}' <<<"$out")" = 2
  expect "$label: importing the same again" 1 "" -- "$hcp" admin import --units units.csv --users users.csv "$@"
  stderr_has "unit U-B exists already"
  expect "$label: user disable" 0 "" -- "$hcp" admin user disable --name frank "$@"
  expect "$label: user disable of nobody" 1 "" -- "$hcp" admin user disable --name nobody "$@"
}

run_on sqlite --data c1
check "central.db holds no password in clear" bash -c "! grep -aq '$generated' c1/central.db* && ! grep -aq 'long enough secret' c1/central.db*"
check "central.db holds argon2id hashes" bash -c "grep -aq 'argon2id' c1/central.db"
expect "disable on a centre that does not exist" 2 "" -- "$hcp" admin user disable --name x --data nowhere
stderr_has "no central.db"

# A real centre: alice signs in with the printed password, the disabled frank cannot.
"$hcp" keygen --out keys >/dev/null 2>&1
"$hcp" central --listen 127.0.0.1:0 --data c1 --trust-edge keys/edge.pub 2>centre.log &
centre=$!
port=
for _ in $(seq 100); do
  port=$(grep -o '"port":[0-9]*' centre.log | head -1 | cut -d: -f2)
  [ -n "$port" ] && break
  sleep 0.05
done
check "the centre started" test -n "$port"
expect "alice signs in" 0 '"role":"handler"' -- curl -s -D headers "http://127.0.0.1:$port/api/v1/login" \
  --data-binary "{\"user\":\"alice\",\"password\":\"$generated\"}"
check "the cookie is HttpOnly, SameSite=Strict and Secure" grep -qi 'set-cookie: hcp_session=.*HttpOnly; SameSite=Strict; Secure' headers
expect "a disabled user cannot" 0 '"auth.login_failed"' -- curl -s "http://127.0.0.1:$port/api/v1/login" \
  --data-binary '{"user":"frank","password":"whatever-it-was"}'
kill "$centre"
wait "$centre"
check "the centre's log holds no password" bash -c "! grep -q '$generated' centre.log"

if [ -n "${HCP_TEST_PG:-}" ]; then
  # A database of its own, so the run can repeat.
  db=hcp_admin_cli_$$
  psql "$HCP_TEST_PG" -qc "CREATE DATABASE $db" >/dev/null
  url=${HCP_TEST_PG%/*}/$db
  run_on postgresql --db "$url"
  check "PostgreSQL holds argon2id hashes only" test "$(psql "$url" -Atc "SELECT count(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")" = 4
  check "the audit trail has every change" test "$(psql "$url" -Atc "SELECT count(*) FROM audit WHERE actor = 'hcp-admin'")" = 7
  check "PostgreSQL refuses to change the audit trail" bash -c "! psql '$url' -qc 'DELETE FROM audit' 2>/dev/null"
  psql "$HCP_TEST_PG" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
elif [ "${HCP_TEST_PG_OPTIONAL:-}" != 1 ]; then
  failures=$((failures + 1))
  echo "FAIL HCP_TEST_PG is not set: point it at PostgreSQL (scripts/pg_cluster), or set HCP_TEST_PG_OPTIONAL=1"
fi
finish

#!/usr/bin/env bash
# `hcp central` as an operator meets it: API keys, the configuration file and its mistakes, seal
# keys that do not parse, a real centre answering a reported case, `stats` on SQLite and (with
# HCP_TEST_PG, as scripts/test provides) on PostgreSQL.
hcp=${1:?usage: central_cli_test.sh path/to/hcp}
source "$(dirname "$0")/cli_test_lib.sh"
cd "$work"

"$hcp" keygen --out keys >/dev/null 2>&1

expect "help names every option" 0 "--db URL" -- "$hcp" central --help
for option in --seal-key --issuer-key --link-base --config "apikey add"; do
  check "help names $option" grep -q -- "$option" <<<"$out"
done

# API keys: printed once, stored as a hash.
expect "apikey add prints a key" 0 "hcpk_" -- "$hcp" central apikey add --data c1 --name 网厅
key=$out
check "the key is 48 characters" test "${#key}" = 48
check "central.db does not hold the key" bash -c "! grep -aq '$key' c1/central.db*"
expect "apikey add refuses a taken name" 1 "" -- "$hcp" central apikey add --data c1 --name 网厅
stderr_has "exists"
expect "apikey list names it" 0 '"name": "网厅"' -- "$hcp" central apikey list --data c1
expect "apikey add without --name" 2 "" -- "$hcp" central apikey add --data c1
expect "apikey on a centre that does not exist" 2 "" -- "$hcp" central apikey list --data nowhere
stderr_has "no central.db"

# Configuration mistakes stop the centre with what to fix (exit 2, nothing started).
echo "not a key" > bad.key
expect "a seal key that does not parse" 2 "" -- "$hcp" central --data c1 --trust-edge keys/edge.pub --seal-key bad.key
stderr_has "config.invalid \[seal_key\]"
stderr_has "is not a seal key"
expect "seal.pub given as the seal key" 2 "" -- "$hcp" central --data c1 --trust-edge keys/edge.pub --seal-key keys/seal.pub
stderr_has "not a .pub file"
mkdir -p mixed && cp keys/edge.key mixed/seal.key && cp keys/seal.pub mixed/seal.pub
expect "a seal key of another pair" 2 "" -- "$hcp" central --data c1 --trust-edge keys/edge.pub --seal-key mixed/seal.key
stderr_has "does not belong to"
expect "issuer key without link base" 2 "" -- "$hcp" central --data c1 --trust-edge keys/edge.pub --issuer-key keys/issuer.key
stderr_has "config.invalid \[link_base\]"
expect "a database that is not PostgreSQL" 2 "" -- "$hcp" central --data c1 --trust-edge keys/edge.pub --db mysql://root@db/hcp
stderr_has "postgresql://"
echo '{"listen": 9090, "ticket_days": 0, "colour": "blue", "trust_edges": "keys/edge.pub"}' > bad.json
expect "a config file with four mistakes" 2 "" -- "$hcp" central --config bad.json --data c1
stderr_has "unknown key \"colour\""
stderr_has "config.invalid \[listen\]"
stderr_has "config.invalid \[ticket_days\]"
stderr_has "config.invalid \[trust_edges\]"
echo '{"listen": ' > broken.json
expect "a config file that is not JSON" 2 "" -- "$hcp" central --config broken.json
stderr_has "not valid JSON"

# A centre from its config file, with a flag over it (--data wins over "data").
cat > central.json <<JSON
{"listen": "127.0.0.1:0", "data": "from-config", "trust_edges": ["keys/edge.pub"],
 "seal_key": "keys/seal.key", "issuer_key": "keys/issuer.key", "link_base": "https://pj.example.gov.cn",
 "ticket_days": 7}
JSON
"$hcp" central --config central.json --data c1 2>centre.log &
centre=$!
port=
for _ in $(seq 100); do
  port=$(grep -o '"port":[0-9]*' centre.log | head -1 | cut -d: -f2)
  [ -n "$port" ] && break
  sleep 0.05
done
check "the centre started from its config file" test -n "$port"
check "the flag won over the file" test ! -e from-config
cat > case.json <<'JSON'
{"case": "SR-CLI-1", "item": "000105001000", "item_name": "道路运输经营许可", "unit": "11361100MB1234567X",
 "unit_name": "上饶市交通运输局", "area": "361100", "channel": "sms", "finished_at": "2026-11-20T10:00:00+08:00",
 "evaluator": {"sub": "u-1", "kind": "person", "name": "张*", "phone": "13800138000"}}
JSON
expect "a reported case gets its short link" 0 '"short_url":"https://pj.example.gov.cn/r/' -- \
  curl -s "http://127.0.0.1:$port/api/v1/cases" -H "Authorization: Bearer $key" --data-binary @case.json
code=$(echo "$out" | grep -o '"short_code":"[0-9A-Za-z]*"' | cut -d'"' -f4)
expect "the link resolves at the centre" 0 '{"ticket":"hcp1.' -- curl -s "http://127.0.0.1:$port/api/v1/links/$code"
expect "a wrong key is refused" 0 '"auth.api_key_required"' -- \
  curl -s "http://127.0.0.1:$port/api/v1/cases" -H "Authorization: Bearer ${key}x" --data-binary @case.json
kill "$centre"
wait "$centre"
check "the centre stops cleanly on SIGTERM" test $? = 0
check "central.db does not hold the phone" bash -c "! grep -aq 13800138000 c1/central.db*"
expect "apikey revoke" 0 "" -- "$hcp" central apikey revoke --data c1 --name 网厅
expect "apikey revoke twice" 1 "" -- "$hcp" central apikey revoke --data c1 --name 网厅

# stats: the same summary JSON, from SQLite and from PostgreSQL.
expect "stats on SQLite" 0 '"total": 0' -- "$hcp" central stats --data c1
expect "stats without a centre" 2 "" -- "$hcp" central stats --data nowhere

# resend: the operator's way to send failed messages again (the delivery itself: central.notify).
expect "resend without --channel" 2 "" -- "$hcp" central resend --data c1
expect "resend on a channel that does not exist" 2 "" -- "$hcp" central resend --data c1 --channel fax
expect "resend with nothing failed" 0 '"requeued":0' -- "$hcp" central resend --data c1 --channel sms
expect "resend of an unknown message" 1 '"requeued":0' -- "$hcp" central resend --data c1 --channel webhook --id no-such
expect "resend without a centre" 2 "" -- "$hcp" central resend --data nowhere --channel sms
check "the resends are audited" bash -c "sqlite3 c1/central.db \"SELECT count(*) FROM audit WHERE action = 'outbox.resend'\" | grep -qx 2"
if [ -n "${HCP_TEST_PG:-}" ]; then
  expect "apikey add on PostgreSQL" 0 "hcpk_" -- "$hcp" central apikey add --db "$HCP_TEST_PG" --name app-$$
  expect "stats on PostgreSQL" 0 '"total":' -- "$hcp" central stats --db "$HCP_TEST_PG"
  expect "stats from a config file's db" 0 '"total":' -- bash -c "echo '{\"db\": \"$HCP_TEST_PG\"}' > pg.json && '$hcp' central stats --config pg.json"
elif [ "${HCP_TEST_PG_OPTIONAL:-}" != 1 ]; then
  failures=$((failures + 1))
  echo "FAIL HCP_TEST_PG is not set: point it at PostgreSQL (scripts/pg_cluster), or set HCP_TEST_PG_OPTIONAL=1"
fi
finish

#!/bin/bash
# `hcp demo` as a newcomer meets it: it starts, prints the URLs, a rating submitted at its edge
# arrives at its centre, the short link resolves through the edge, and Ctrl-C stops it cleanly.
hcp=$1
source "$(dirname "$0")/cli_test_lib.sh"

dir=$work/demo
"$hcp" demo --dir "$dir" --edge-port 0 --central-port 0 > "$work/out" 2> "$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$dir/demo.json" ] && grep -q "Ctrl-C" "$work/out" && break; sleep 0.1; done
check "demo.json written" test -s "$dir/demo.json"
check "the URLs are printed" grep -q "/r/" "$work/out"
check "keys were created, the secret ones 0600" test "$(stat -c %a "$dir/keys/issuer.key")" = 600
check "the admin token is 0600" test "$(stat -c %a "$dir/central/admin.token")" = 600

field() { python3 -c "import json,sys; d=json.load(open('$dir/demo.json')); print(eval(sys.argv[1]))" "$1"; }
edge=$(field "d['edge']")
central=$(field "d['central']")
token=$(field "d['admin_token']")
ticket=$(field "d['cases'][0]['ticket']")
code=$(field "d['cases'][2]['short_code']")
check "three demo cases, each with a ticket and a short link" test "$(field "sum(1 for c in d['cases'] if c.get('ticket') and c.get('short_url'))")" = 3

total() { curl -s -H "Authorization: Bearer $token" "$central/api/v1/stats/summary" | python3 -c "import json,sys; print(json.load(sys.stdin)['total'])"; }
# The demo rates a few cases bad itself (to-dos for the back office); they travel through the
# relay like any rating: wait until the edge has nothing left to relay before counting.
relayed() {
  for _ in $(seq 200); do
    curl -s "$edge/metrics" | grep -q '^hcp_outbox_backlog 0$' && return 0
    sleep 0.1
  done
  return 1
}
check "the demo's own bad ratings reached the centre" relayed
# The centre starts with the demo's history (issue 7's public page has data) and nothing else:
# the count is taken as it is, and every later figure is counted from it.
base=$(total)
check "the centre answers its total (the demo history: $base ratings)" test "$base" -ge 0
status=$(curl -s -o "$work/rated" -w '%{http_code}' -X POST "$edge/api/v1/ratings" -H 'Idempotency-Key: demo-test-1' \
  -d "{\"ticket\":\"$ticket\",\"satisfaction\":2,\"reasons\":[\"203\"],\"comment\":\"等了很久\"}")
check "the edge answers 201" test "$status" = 201
for _ in $(seq 100); do [ "$(total)" = $((base + 1)) ] && break; sleep 0.1; done
check "the rating arrived at the centre" test "$(total)" = $((base + 1))
check "the short link resolves through the edge" bash -c "curl -s '$edge/api/v1/links/$code' | grep -q '\"ticket\":\"hcp1\\.'"

# Last month's 通报 is made from the history at start, for the back office's 报告 page.
reports() {
  curl -s -c "$work/jar" -o /dev/null -H 'Content-Type: application/json' -X POST "$central/api/v1/login" \
    -d '{"user":"demo-office","password":"demo-office-2026"}'
  curl -s -b "$work/jar" "$central/api/v1/reports" | python3 -c "import json,sys; print(' '.join(r['kind'] + '/' + r['period'] for r in json.load(sys.stdin)['reports']))"
}
last_month=$(python3 -c "import datetime as d; t=(d.datetime.now(d.timezone.utc)+d.timedelta(hours=8)).date().replace(day=1)-d.timedelta(days=1); print(t.strftime('%Y-%m'))")
check "last month's report is there at start" test "$(reports)" = "monthly/$last_month"
check "the public figures name the demo's hall, not its key id" bash -c \
  "curl -s '$central/api/v1/public/stats' | python3 -c 'import json,sys; h=json.load(sys.stdin)[\"halls\"]; sys.exit(0 if h and h[0][\"name\"] == \"演示市民中心\" else 1)'"

kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid
check "Ctrl-C (SIGTERM) stops both servers with exit 0" test $? = 0

# A second run reuses the keys and data and registers fresh demo cases.
"$hcp" demo --dir "$dir" --edge-port 0 --central-port 0 > "$work/out2" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Ctrl-C" "$work/out2" && break; sleep 0.1; done
check "a second run starts on the same folder" grep -q "Ctrl-C" "$work/out2"
edge=$(field "d['edge']"); central=$(field "d['central']"); token=$(field "d['admin_token']")
check "the second run's bad ratings reached the centre" relayed
# Each run rates its own few cases bad; the history is stored once, in a fresh folder only.
check "the earlier rating is still at the centre, the history not stored twice" \
  test "$(total)" = $((base + 1 + $(field "len(d['bad_ratings'])")))
check "the report is made once, not again on a restart" test "$(reports)" = "monthly/$last_month"
kill -TERM $pid; wait $pid

expect "a port that is not a number is refused" 2 "" -- "$hcp" demo --dir "$dir" --edge-port http
stderr_has "edge-port"
finish

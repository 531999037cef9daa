#!/usr/bin/env bash
# `hcp report`, `hcp sample` and `hcp export national` as an operator meets them, on an SQLite
# centre: errors and exit codes (docs/reports.md §11), the report's numbers, the sample repeated
# from its seed, the export in two runs from the printed watermark (nothing skipped, nothing
# repeated), and push mode against a loopback receiver that fails first, with the pushing process
# killed -9 mid-run and started again (every rating delivered, no batch kept twice). The same
# logic over PostgreSQL is tested in tests/central/reports_test.cpp.
hcp=${1:?usage: report_cli_test.sh path/to/hcp}
source "$(dirname "$0")/cli_test_lib.sh"
cd "$work"

expect "report help" 0 "hcp report monthly" -- "$hcp" report --help
check "help gives the exit codes" grep -q "3 the output file cannot be written" <<<"$out"
expect "sample help" 0 "--seed" -- "$hcp" sample --help
expect "export help" 0 "--push" -- "$hcp" export national --help
check "hcp --help lists report, sample, export" bash -c "'$hcp' --help | grep -q '^  report ' && '$hcp' --help | grep -q '^  sample ' && '$hcp' --help | grep -q '^  export '"

# A centre with March 2026 ratings, written as ingest stores them: units A (9 ratings, 2 bad, both
# cases pending), B (4), C (1, an org); evaluator E-2 rated unit A twice.
expect "a centre" 0 "" -- "$hcp" admin unit add --code 11330100MB0000001A --name 甲局 --data c
add_ratings() {  # add_ratings FIRST COUNT: ratings FIRST.. on 2026-03-(2 + i % 20), 09:00 China time
  python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
first, count = int(sys.argv[1]), int(sys.argv[2])
db = sqlite3.connect('c/central.db')
units = [('11330100MB0000001A', '甲局'), ('11330100MB0000002B', '乙局'), ('11330100MB0000003C', '丙局')]
for i in range(first, first + count):
    unit, name = units[0] if i % 13 < 8 else units[1] if i % 13 < 12 else units[2]
    sat = 2 if i % 13 in (3, 6) else 5 if i % 2 else 4
    day = 2 + i % 20
    received = (20513 + day) * 86400000 - 8 * 3600000 + 9 * 3600000  # 2026-03-01 is day 20513
    case = 'C-%03d' % i
    claims = {'case': case, 'item': 'T1', 'item_name': '营业执照', 'unit': unit, 'unit_name': name, 'area': '330100',
              'window': 'H1/W%d' % (i % 3), 'channel': 'tablet',
              'evaluator': {'sub': 'E-%d' % (i % 11), 'kind': 'org' if i % 13 == 12 else 'person', 'name': '张*'}}
    rating = {'satisfaction': sat, 'reasons': ['208'] if sat <= 2 else [], 'comment': '', 'public': False, 'dimensions': {}}
    db.execute('INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, '
               'received_at_ms, ingested_at_ms) VALUES (?, "e", ?, 1, "k", ?, ?, "tablet", ?, ?, ?, ?, ?)',
               ('r%03d' % i, case, unit, name, sat, json.dumps(claims, ensure_ascii=False), json.dumps(rating), received, received + i))
    if sat <= 2:
        db.execute('INSERT INTO handling_cases (case_id, assess, rating_id, unit, unit_name, satisfaction, opened_at_ms) '
                   'VALUES (?, 1, ?, ?, ?, ?, ?)', (case, 'r%03d' % i, unit, name, sat, received))
        db.execute('INSERT INTO handling_events (case_id, assess, seq, on_date, actor, action, fields, by_user, at_ms) '
                   'VALUES (?, 1, 0, ?, "system", "open", "{}", "system", ?)', (case, '2026-03-%02d' % day, received))
db.commit()
PY
}
add_ratings 0 14

# ---- hcp report ----
expect "a bad month" 2 "" -- "$hcp" report monthly --month 2026-13 --format json --out r.json --data c
stderr_has "period.invalid"
expect "an unknown format" 2 "" -- "$hcp" report monthly --month 2026-03 --format pdf --out r.pdf --data c
stderr_has "report.format_unknown"
expect "no --out" 2 "" -- "$hcp" report monthly --month 2026-03 --format json --data c
expect "a bad year" 2 "" -- "$hcp" report annual --year 26 --format json --out a.json --data c
expect "an unwritable file" 3 "" -- "$hcp" report monthly --month 2026-03 --format csv --out no/such/dir/r.csv --data c
stderr_has "cannot write no/such/dir/r.csv"
expect "a centre that does not exist" 4 "" -- "$hcp" report monthly --month 2026-03 --format csv --out r.csv --data nowhere
stderr_has "no central.db"
check "nothing half-written" test ! -e r.csv

expect "monthly json" 0 "" -- "$hcp" report monthly --month 2026-03 --as-of 2026-04-03 --min-sample 5 --format json --out r.json --data c
stderr_has "2026年3月 as of 2026-04-03: 14 rating(s), 3 unit(s)"
check "the numbers: 14 ratings, 12 good, 2 bad, 好评率 85.7%, unit A 9 with 7 good" python3 - <<'PY'
import json
j = json.load(open('r.json'))
t = j['total']
assert t['ratings'] == 14 and t['good_ratings'] == 12 and t['bad_ratings'] == 2, t
assert t['good_rate']['display'] == '85.7%', t['good_rate']
a = [u for u in j['units'] if u['key'] == '11330100MB0000001A'][0]
assert a['ratings'] == 9 and a['good_ratings'] == 7 and a['good_rate']['display'] == '77.8%', a
assert a['pending_verification'] == 2, a
assert [h['key'] for h in j['halls']] == ['H1'], j['halls']
assert len(j['windows']) == 3, j['windows']
PY
# The config file's "report" key: the sample size and the 反复被差评 rule; --min-sample wins over it.
printf '%s' '{"report": {"min_sample": 5, "repeat": {"min_in_month": 1, "consecutive_months": 0}}}' > report.json
expect "monthly json with the config's options" 0 "" -- "$hcp" report monthly --month 2026-03 --as-of 2026-04-03 --format json --out rc.json --config report.json --data c
check "the config's sample size ranks unit A (9 ratings) and one bad rating flags it" python3 - <<'PY'
import json
a = [u for u in json.load(open('rc.json'))['units'] if u['key'] == '11330100MB0000001A'][0]
assert a['good_rate']['display'] == '77.8%', a['good_rate']
assert a['repeat_bad']['flagged'] and a['repeat_bad']['in_month'], a['repeat_bad']
PY
expect "--min-sample over the config" 0 "" -- "$hcp" report monthly --month 2026-03 --as-of 2026-04-03 --format json --out rf.json --config report.json --min-sample 10 --data c
check "unit A not ranked below 10" python3 -c "import json; a=[u for u in json.load(open('rf.json'))['units'] if u['key']=='11330100MB0000001A'][0]; assert a['good_rate']['display'] != '77.8%', a['good_rate']"
printf '%s' '{"report": {"repeat": {"consecutive_months": 1}}}' > bad_report.json
expect "a bad report config" 2 "" -- "$hcp" report monthly --month 2026-03 --format json --out x.json --config bad_report.json --data c
stderr_has "report.repeat.consecutive_months"
expect "monthly csv" 0 "" -- "$hcp" report monthly --month 2026-03 --as-of 2026-04-03 --format csv --out r.csv --data c
check "csv starts with the BOM and the heading" bash -c "head -c 12 r.csv | od -c | head -1 | grep -q '357 273 277'"
check "csv total row" grep -q $'^合计,,合计,14,0,12,2,85.7%,85.7%' r.csv
expect "monthly html" 0 "" -- "$hcp" report monthly --month 2026-03 --format html --out r.html --data c
check "html has its charts inline" grep -q "<svg" r.html
check "html has no script" bash -c "! grep -q '<script' r.html"
expect "one unit" 0 "" -- "$hcp" report monthly --month 2026-03 --unit 11330100MB0000002B --format json --out b.json --data c
check "unit B: 4 ratings" python3 -c "import json; assert json.load(open('b.json'))['total']['ratings'] == 4"
expect "annual csv to stdout" 0 "合计,,合计,14" -- "$hcp" report annual --year 2026 --format csv --out - --data c

# ---- hcp sample ----
expect "a size of 0" 2 "" -- "$hcp" sample --month 2026-03 --size 0 --seed 7 --data c
stderr_has "sampling.size_invalid"
expect "a bad seed" 2 "" -- "$hcp" sample --month 2026-03 --size 3 --seed -1 --data c
stderr_has "sampling.seed_invalid"
expect "a sample" 0 '"created": true' -- "$hcp" sample --month 2026-03 --size 5 --seed 7 --data c
first=$out
stderr_has "5 of 13 evaluator(s)"
expect "the same month and seed again" 0 '"created": false' -- "$hcp" sample --month 2026-03 --size 5 --seed 7 --data c
check "the same people in the same order" test "$(grep -v created <<<"$first")" = "$(grep -v created <<<"$out")"
expect "another size with that seed" 1 "" -- "$hcp" sample --month 2026-03 --size 4 --seed 7 --data c
stderr_has "sampling.conflict"
check "stratified: 3 of unit A's 8 evaluators, 2 of B's 4, none of C's 1" python3 - "$first" <<'PY'
import json, sys, collections
tasks = json.loads(sys.argv[1])['tasks']
per = collections.Counter(t['unit'] for t in tasks)
assert per == {'11330100MB0000001A': 3, '11330100MB0000002B': 2}, per
PY

# ---- hcp export national ----
expect "a bad watermark" 2 "" -- "$hcp" export national --since abc --format jsonl --out e.jsonl --data c
expect "an unknown format" 2 "" -- "$hcp" export national --since 0 --format xml --out e.xml --data c
expect "first run" 0 '"next":14' -- "$hcp" export national --since 0 --format jsonl --out e1.jsonl --data c
check "14 lines" test "$(wc -l < e1.jsonl)" = 14
add_ratings 14 3
expect "second run from the printed watermark" 0 '{"next":17,"rows":3,"since":14}' -- "$hcp" export national --since 14 --format jsonl --out e2.jsonl --data c
check "every rating once over both runs" bash -c "cat e1.jsonl e2.jsonl | python3 -c \"import json,sys; p=[json.loads(l)['projectNo'] for l in sys.stdin]; assert len(p)==17==len(set(p)), p\""
expect "nothing new" 0 '"rows":0' -- "$hcp" export national --since 17 --format csv --out e3.csv --data c
check "csv: BOM and the header only" bash -c "[ \$(wc -l < e3.csv) = 1 ] && head -c 3 e3.csv | od -c | grep -q '357 273 277'"
expect "gbt39046 direction" 0 "" -- "$hcp" export national --since 0 --max-rows 1 --direction gbt39046 --format jsonl --out g.jsonl --data c
check "the first rating (level 4) is 2 in GB/T 39046" python3 -c "import json; assert json.loads(open('g.jsonl').readline())['satisfaction'] == 2"

# ---- push, with a crash in the middle ----
cat > receiver.py <<'PY'
# Keeps each batch once by its Idempotency-Key; fails the first request with 503; holds its answer
# to the second batch for 30 s (the pusher is killed meanwhile). Writes applied.txt, one key a line.
import http.server, json, sys, threading, time
state = {'requests': 0, 'keys': {}}
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        key = self.headers['Idempotency-Key']
        with lock:
            state['requests'] += 1
            n = state['requests']
            if n == 1:
                self.send_response(503); self.end_headers(); return
            new = key not in state['keys']
            if new:
                state['keys'][key] = body
                with open('applied.txt', 'a') as f: f.write(key + '\n')
                with open('rows.txt', 'a') as f:
                    for r in json.loads(body)['records']: f.write(r['projectNo'] + '\n')
            slow = new and len(state['keys']) == 2 and not state.get('slowed')
            if slow: state['slowed'] = True
        if slow: time.sleep(30)
        self.send_response(200); self.end_headers(); self.wfile.write(b'{}')
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
open('port.txt', 'w').write(str(srv.server_address[1]))
srv.serve_forever()
PY
python3 receiver.py & receiver=$!
for _ in $(seq 50); do [ -s port.txt ] && break; sleep 0.1; done
printf '{"url": "http://127.0.0.1:%s/national", "batch_rows": 5, "backoff_ms": 10, "backoff_max_ms": 50, "timeout_ms": 60000}' \
  "$(cat port.txt)" > push.json
printf '{"url": "ftp://x", "batch_rows": 0, "colour": 1}' > bad_push.json
expect "a bad push config" 2 "" -- "$hcp" export national --push --config bad_push.json --data c
stderr_has "export.push_config_invalid"
"$hcp" export national --push --config push.json --data c > push1.out 2>&1 & pusher=$!
for _ in $(seq 100); do [ -f applied.txt ] && [ "$(wc -l < applied.txt)" = 2 ] && break; sleep 0.1; done
kill -9 $pusher; wait $pusher 2>/dev/null
check "killed with two batches at the receiver, the second unanswered" test "$(wc -l < applied.txt)" = 2
expect "push again after the crash" 0 '"stop":"done"' -- "$hcp" export national --push --config push.json --data c
kill $receiver; wait $receiver 2>/dev/null
check "every rating delivered once" bash -c "[ \$(wc -l < rows.txt) = 17 ] && [ \$(sort -u rows.txt | wc -l) = 17 ]"
check "no batch kept twice" bash -c "[ \$(sort applied.txt | uniq -d | wc -l) = 0 ] && [ \$(wc -l < applied.txt) = 4 ]"
expect "a third push sends nothing" 0 '"batches":0' -- "$hcp" export national --push --config push.json --data c

finish

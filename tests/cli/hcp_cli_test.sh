#!/usr/bin/env bash
# Runs the real `hcp` binary and checks what a user sees. Usage: hcp_cli_test.sh PATH/TO/hcp
set -u
hcp=${1:?usage: hcp_cli_test.sh PATH/TO/hcp}
source "$(dirname "$0")/cli_test_lib.sh"

# calendar: the issue's own example, then holidays, make-up days, fallback years
expect add-workdays-national-day 0 "2026-10-09" -- "$hcp" calendar add-workdays 2026-09-30 2
[ "$("$hcp" calendar add-workdays 2026-09-30 2)" = "2026-10-09" ] || { failures=$((failures + 1)); echo "FAIL exact output"; }
expect is-workday-makeup-saturday 0 "yes" -- "$hcp" calendar is-workday 2026-10-10
expect is-workday-holiday 0 "no" -- "$hcp" calendar is-workday 2026-10-01
expect between 0 "2" -- "$hcp" calendar between 2026-09-30 2026-10-09
expect years 0 "2026" -- "$hcp" calendar years
expect unknown-year-warns 0 "2027-10-04" -- "$hcp" calendar add-workdays 2027-09-30 2
stderr_has "calendar.year_unknown"
expect unknown-year-strict 1 "" -- "$hcp" calendar add-workdays 2027-09-30 2 --strict
expect bad-date 2 "" -- "$hcp" calendar is-workday 2026-02-30
stderr_has "date.invalid"
caldir=$(mktemp -d)
cat > "$caldir/2027.json" <<'JSON'
{"year": 2027, "notice": "测试用通知", "holidays": [{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}], "workdays": []}
JSON
expect calendar-dir 0 "2027-10-11" -- "$hcp" calendar add-workdays 2027-09-30 2 --calendar "$caldir"
echo '{"year": 2027}' > "$caldir/2027.json"
expect calendar-dir-bad 2 "" -- "$hcp" calendar is-workday 2027-01-04 --calendar "$caldir"
stderr_has "calendar.data_invalid"

# rating validate
with '{"satisfaction": 5}'
expect rating-good 0 "ok" -- "$hcp" rating validate
with '{"satisfaction": 1, "comment": ""}'
expect rating-bad-without-reason 1 '"id": "rating.reason_required"' -- "$hcp" rating validate
with '{"satisfaction": 1, "reasons": ["210"]}'
expect rating-offline-reason-online 1 "rating.reason_not_for_channel" -- "$hcp" rating validate --channel pc
expect rating-offline-reason-offline 0 "ok" -- "$hcp" rating validate --channel qr
with '{"satisfaction": 9, "reasons": ["999"], "comment": "x"}'
expect rating-every-error 1 "rating.reason_unknown" -- "$hcp" rating validate
with '{"satisfaction": 4, "comment": "一二三四五六"}'
expect rating-comment-max 1 "rating.comment_too_long" -- "$hcp" rating validate --comment-max 5
with '{"satisfaction": '
expect rating-invalid-json 1 "request.invalid_json" -- "$hcp" rating validate
printf '{"satisfaction": 2, "comment": "\xff"}' > "$input"
expect rating-invalid-utf8 1 "request.invalid_utf8" -- "$hcp" rating validate
cat_file=$(mktemp)
echo '{"version": "zj", "reasons": [{"code": "001", "zh": "慢", "en": "Slow", "levels": [1, 2]}]}' > "$cat_file"
with '{"satisfaction": 2, "reasons": ["001"]}'
expect rating-custom-catalogue 0 "ok" -- "$hcp" rating validate --catalogue "$cat_file"

# case replay
with '[{"date": "2026-09-30", "actor": "system", "action": "open"},
       {"date": "2026-10-09", "actor": "unit", "action": "return_visit", "fields": {"method": "phone", "outcome": "valid"}}]'
expect case-replay 0 '"due": "2026-10-09"' -- "$hcp" case replay
expect case-replay-rectify-due 0 '"due": "2026-10-22"' -- "$hcp" case replay
with '[{"date": "2026-09-30", "actor": "system", "action": "open"},
       {"date": "2026-10-09", "actor": "unit", "action": "rectify", "fields": {"result": "已整改"}}]'
expect case-illegal 1 '"id": "case.transition_not_allowed"' -- "$hcp" case replay
with '[{"date": "2026-09-30", "actor": "unit", "action": "open"}]'
expect case-wrong-actor 1 "case.actor_not_allowed" -- "$hcp" case replay
with '[{"date": "2026-11-02", "actor": "system", "action": "open"}]'
expect case-overdue 0 '"overdue": true' -- "$hcp" case replay --today 2026-11-23

# help texts a stranger can follow
expect help 0 "calendar" -- "$hcp" --help
expect help-calendar 0 "add-workdays" -- "$hcp" calendar --help
expect help-rating 0 "rating.reason_required" -- "$hcp" rating --help
expect help-case 0 "return_visit" -- "$hcp" case --help
expect unknown-command 2 "" -- "$hcp" frobnicate

finish

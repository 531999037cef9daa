#!/usr/bin/env bash
# `hcp keygen` and `hcp ticket` as an integrator meets them: the real binary, real key files,
# stdin/stdout and exit codes. Usage: ticket_cli_test.sh PATH/TO/hcp
set -u
hcp=${1:?usage: ticket_cli_test.sh PATH/TO/hcp}
source "$(dirname "$0")/cli_test_lib.sh"
# The decoded payload of a ticket (base64url without padding).
payload() {
  local p
  p=$(echo "$1" | cut -d. -f2 | tr -- '-_' '+/')
  while [ $((${#p} % 4)) != 0 ]; do p="$p="; done
  echo "$p" | base64 -d
}

claims='{"case": "SR2026112000123", "item": "000105001000", "item_name": "道路运输经营许可",
  "unit": "11361100MB1234567X", "unit_name": "上饶市交通运输局", "area": "361100", "window": "A07",
  "channel": "qr", "finished_at": "2026-11-20T10:00:00+08:00", "exp": "2026-12-20T10:00:00+08:00", "assess": 1,
  "evaluator": {"sub": "u-7f3a9c", "kind": "person", "name": "张*", "phone": "13800138000"}}'

# keygen: six files, secrets private, never overwritten silently
keys=$work/keys
expect keygen 0 "issuer kid: " -- "$hcp" keygen --out "$keys"
for f in issuer.key issuer.pub seal.key seal.pub edge.key edge.pub; do check "keygen wrote $f" test -s "$keys/$f"; done
for f in issuer.key seal.key edge.key; do check "$f is mode 600" test "$(stat -c %a "$keys/$f")" = 600; done
check "issuer.key is one base64 line" grep -qxE '[A-Za-z0-9+/]{43}=' "$keys/issuer.key"
before=$(cat "$keys/issuer.key")
expect keygen-refuses-overwrite 1 "" -- "$hcp" keygen --out "$keys"
stderr_has "--force"
check "issuer.key unchanged" test "$(cat "$keys/issuer.key")" = "$before"
expect keygen-force 0 "edge kid: " -- "$hcp" keygen --out "$keys" --force
check "issuer.key replaced" test "$(cat "$keys/issuer.key")" != "$before"
expect keygen-needs-out 2 "usage: hcp keygen" -- "$hcp" keygen

# issue: the phone is sealed, never in the ticket in clear
with "$claims"
expect issue 0 "hcp1." -- "$hcp" ticket issue --key "$keys/issuer.key" --seal-to "$keys/seal.pub"
ticket=$out
check "ticket is URL-safe" grep -qxE 'hcp1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}' <<<"$ticket"
check "phone not in the ticket" test "${ticket/13800138000/}" = "$ticket"
decoded=$(payload "$ticket")
check "payload is the claims" grep -q '"case":"SR2026112000123"' <<<"$decoded"
check "phone not in the payload" test "${decoded/13800138000/}" = "$decoded"
check "payload carries a sealed contact" grep -q '"contact":"' <<<"$decoded"
expect issue-phone-without-seal-key 1 '"id": "ticket.seal_failed"' -- "$hcp" ticket issue --key "$keys/issuer.key"
with '{"case": "x", "assess": 3}'
expect issue-invalid-claims 1 '"id": "ticket.claims_invalid"' -- "$hcp" ticket issue --key "$keys/issuer.key"
check "every problem listed" test "$(grep -c '"ticket.claims_invalid"' <<<"$out")" -gt 5
with '{"case": '
expect issue-invalid-json 1 "request.invalid_json" -- "$hcp" ticket issue --key "$keys/issuer.key"
expect issue-missing-key 2 "" -- "$hcp" ticket issue --key "$work/nope.key"
stderr_has "file.unreadable"
echo "not a key" > "$work/bad.key"
expect issue-invalid-key 2 "" -- "$hcp" ticket issue --key "$work/bad.key"
stderr_has "key.invalid"

# verify
input=
expect verify 0 '"case": "SR2026112000123"' -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-11-21T09:00:00+08:00 "$ticket"
check "verify prints the sealed contact, not the phone" test "${out/13800138000/}" = "$out"
with "$ticket"
expect verify-stdin 0 '"kid": "' -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-11-21T09:00:00+08:00 -
input=
sig=${ticket##*.}
flipped=${sig:0:10}$( [ "${sig:10:1}" = A ] && echo B || echo A )${sig:11}
expect verify-tampered-signature 1 '"id": "ticket.bad_signature"' -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-11-21T09:00:00+08:00 "${ticket%.*}.$flipped"
forged=$(printf '%s' "$decoded" | sed 's/SR2026112000123/SR2026112000999/' | base64 -w0 | tr -- '+/' '-_' | tr -d '=')
expect verify-tampered-payload 1 '"id": "ticket.bad_signature"' -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-11-21T09:00:00+08:00 "hcp1.$forged.$sig"
expect verify-expired 1 '"id": "ticket.expired"' -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-12-20T10:00:00+08:00 "$ticket"
expect verify-malformed 1 '"id": "ticket.malformed"' -- "$hcp" ticket verify --pub "$keys/issuer.pub" "hcp1.not-a-ticket"
"$hcp" keygen --out "$work/other" >/dev/null
expect verify-unknown-key 1 '"id": "ticket.unknown_key"' -- "$hcp" ticket verify --pub "$work/other/issuer.pub" --now 2026-11-21T09:00:00+08:00 "$ticket"
expect verify-several-issuers 0 '"assess": 1' -- "$hcp" ticket verify --pub "$work/other/issuer.pub" --pub "$keys/issuer.pub" --now 2026-11-21T09:00:00+08:00 "$ticket"
expect verify-needs-pub 2 "" -- "$hcp" ticket verify "$ticket"
expect verify-bad-now 2 "" -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now 2026-11-21 "$ticket"
stderr_has "date.invalid"

# exp from --ttl-days when the claims give none; the clock decides
with "$(printf '%s' "$claims" | sed 's/"exp": "[^"]*", //')"
expect issue-ttl 0 "hcp1." -- "$hcp" ticket issue --key "$keys/issuer.key" --seal-to "$keys/seal.pub" --ttl-days 1
short=$out
input=
expect verify-ttl-now 0 '"exp": "' -- "$hcp" ticket verify --pub "$keys/issuer.pub" "$short"
expect verify-ttl-later 1 "ticket.expired" -- "$hcp" ticket verify --pub "$keys/issuer.pub" --now "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)" "$short"
expect issue-ttl-range 2 "" -- "$hcp" ticket issue --key "$keys/issuer.key" --ttl-days 0

# the centre opens the sealed contact
contact=$(grep -o '"contact":"[^"]*"' <<<"$decoded" | cut -d'"' -f4)
expect open-contact 0 "13800138000" -- "$hcp" ticket open-contact --seal-key "$keys/seal.key" "$contact"
expect open-contact-other-key 1 "ticket.open_failed" -- "$hcp" ticket open-contact --seal-key "$work/other/seal.key" "$contact"

# help texts a stranger can follow
expect help-keygen 0 "issuer.pub" -- "$hcp" keygen --help
expect help-ticket 0 "ticket.bad_signature" -- "$hcp" ticket --help
expect help-ticket-issue 0 "--seal-to" -- "$hcp" ticket issue --help
expect ticket-no-command 2 "usage: hcp ticket" -- "$hcp" ticket
expect ticket-unknown-option 2 "" -- "$hcp" ticket verify --key x "$ticket"

finish

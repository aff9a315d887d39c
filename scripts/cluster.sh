#!/usr/bin/env bash
# Three replicas behind a real gRPC load balancer, on loopback: three `khabar serve` processes
# sharing one rules directory (laid out as a Kubernetes ConfigMap volume: a `..data` link to a
# timestamped directory, and links to it) with --watch and --metrics-addr, and nginx in front
# (`grpc_pass` to an upstream of the three, deploy/nginx/khabar.conf's settings). Then:
#   1. spread: CALLS calls through nginx; every replica must have served at least a tenth of
#      them (read from each replica's /metrics), none may fail;
#   2. rollout: the rules directory's `..data` link is swapped to a changed copy, as the kubelet
#      updates a ConfigMap; every replica must report the new version (khabar_rules_info) within
#      10 s; prints how long the slowest took;
#   3. rolling stop: CALLS more calls, and one replica gets SIGTERM once a third are answered;
#      no call through nginx may fail, and the replica must exit 0 within its drain timeout.
# Prints the numbers the README quotes, and `cluster: PASS` or `cluster: FAIL ...`.
# Usage: scripts/cluster.sh          (builds target/release/khabar and the example `calls`)
#   KHABAR_BIN=path  CALLS_BIN=path  skip the build and use these binaries
#   CALLS=3000       calls per phase
#   NGINX=path       nginx binary (default: nginx on PATH or /usr/sbin/nginx; Debian's `nginx`)
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS="${CALLS:-3000}"
if [ -z "${KHABAR_BIN:-}" ] || [ -z "${CALLS_BIN:-}" ]; then
  cargo build --release --bin khabar --example calls
fi
BIN="${KHABAR_BIN:-target/release/khabar}"
CALLS_BIN="${CALLS_BIN:-target/release/examples/calls}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
[ -x "$NGINX" ] || { echo "cluster: FAIL nginx not found (apt-get install -y nginx)" >&2; exit 1; }

fail() {
  echo "cluster: FAIL $*" >&2
  exit 1
}

TMP="$(mktemp -d)"
chmod 755 "$TMP" # nginx's workers (user nobody when started as root) read below it
PIDS=()
NGINX_PID=""
cleanup() {
  local rc=$?
  # nginx's master first, with TERM: killed outright it would leave its workers running.
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  for pid in "${PIDS[@]}" $NGINX_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    for f in "$TMP"/replica*.log "$TMP"/nginx-error.log; do
      [ -f "$f" ] && { echo "--- $f (last 20 lines)" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "cluster: kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() { # host:port pid
  for _ in $(seq 1 300); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', ${1##*:}), 1)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# metric PORT SELECTOR: the sum of the samples whose line starts with SELECTOR.
metric() {
  python3 - "$1" "$2" <<'EOF'
import sys, urllib.request
port, selector = sys.argv[1], sys.argv[2]
try:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
except OSError:
    print(-1)
    sys.exit()
total = 0.0
for line in body.splitlines():
    if line.startswith(selector):
        total += float(line.rsplit(" ", 1)[1])
print(int(total))
EOF
}
OK_CALLS='khabar_requests_total{service="khabar.v1.Classifier",method="Classify",code="OK"}'

# --- the rules directory, as a ConfigMap volume ----------------------------------------------
RULES="$TMP/rules"
mkdir -p "$RULES/..2000_01_01_00_00_00.000000001"
cp -R rules/. "$RULES/..2000_01_01_00_00_00.000000001/"
ln -s ..2000_01_01_00_00_00.000000001 "$RULES/..data"
for entry in "$RULES/..data/"*; do
  ln -s "..data/$(basename "$entry")" "$RULES/$(basename "$entry")"
done
OLD_VERSION="$("$BIN" check-rules "$RULES" | awk '/^version:/ {print $2}')"
[ -n "$OLD_VERSION" ] || fail "check-rules gave no version for $RULES"

# --- three replicas ----------------------------------------------------------------------------
PORTS=()
MPORTS=()
for i in 0 1 2; do
  PORTS+=("$(free_port)")
  MPORTS+=("$(free_port)")
  RUST_LOG=info "$BIN" serve --addr "127.0.0.1:${PORTS[$i]}" --metrics-addr "127.0.0.1:${MPORTS[$i]}" \
    --rules "$RULES" --watch --drain-timeout 10 --log-format json 2>"$TMP/replica$i.log" &
  PIDS+=($!)
done
for i in 0 1 2; do
  wait_port "127.0.0.1:${PORTS[$i]}" "${PIDS[$i]}" || fail "replica $i did not start"
  wait_port "127.0.0.1:${MPORTS[$i]}" "${PIDS[$i]}" || fail "replica $i serves no metrics"
done

# --- nginx in front ----------------------------------------------------------------------------
LB_PORT="$(free_port)"
mkdir -p "$TMP/nginx"
{
  echo "worker_processes 2;"
  echo "pid $TMP/nginx/nginx.pid;"
  echo "error_log $TMP/nginx-error.log warn;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "  access_log off;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $TMP/nginx/$t;"; done
  echo "  upstream khabar {"
  for p in "${PORTS[@]}"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"; done
  # the settings of deploy/nginx/khabar.conf from its `keepalive` line on
  sed -n '/^ *keepalive /,$p' deploy/nginx/khabar.conf | sed "s/^\( *\)listen [^;]*;/\1listen 127.0.0.1:$LB_PORT http2;/"
  echo "}"
} >"$TMP/nginx/nginx.conf"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx-error.log" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' \
  </dev/null >>"$TMP/nginx-error.log" 2>&1 &
NGINX_PID=$!
wait_port "127.0.0.1:$LB_PORT" "$NGINX_PID" || fail "nginx did not start ($(cat "$TMP/nginx-error.log"))"
echo "cluster: replicas on ${PORTS[*]} (metrics ${MPORTS[*]}), nginx ($("$NGINX" -v 2>&1 | sed 's/.*: //')) on $LB_PORT, rules $OLD_VERSION"

# --- 1. calls spread over the replicas ---------------------------------------------------------
"$CALLS_BIN" --addr "127.0.0.1:$LB_PORT" --calls "$CALLS" --connections 4 --streams 4 | tee "$TMP/spread.out"
grep -q "^calls $CALLS ok $CALLS failed 0 " "$TMP/spread.out" || fail "calls failed through nginx"
SPREAD=()
for i in 0 1 2; do
  n="$(metric "${MPORTS[$i]}" "$OK_CALLS")"
  SPREAD+=("$n")
  [ "$n" -ge $((CALLS / 10)) ] || fail "replica $i served $n of $CALLS calls"
done
echo "cluster: spread: $CALLS calls through nginx, 0 failed; calls per replica: ${SPREAD[*]}"

# --- 2. a rules rollout, as a ConfigMap update ---------------------------------------------------
NEW_DIR="..2000_01_01_00_00_01.000000002"
cp -R "$RULES/..2000_01_01_00_00_00.000000001" "$RULES/$NEW_DIR"
printf '# cluster test: a changed version\n' >>"$RULES/$NEW_DIR/spelling.toml"
NEW_VERSION="$("$BIN" check-rules "$RULES/$NEW_DIR" | awk '/^version:/ {print $2}')"
[ "$NEW_VERSION" != "$OLD_VERSION" ] || fail "the changed rules have the old version"
ln -s "$NEW_DIR" "$RULES/..data_tmp"
T0="$(date +%s.%N)"
mv -T "$RULES/..data_tmp" "$RULES/..data" # rename(2) over the old link: what the kubelet does
# Every replica's /metrics polled every 50 ms until it reports the new version (10 s at most).
SEEN="$(python3 - "$T0" "$NEW_VERSION" "${MPORTS[@]}" <<'EOF'
import sys, time, urllib.request
t0, version, ports = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
want = f'khabar_rules_info{{version="{version}"'
seen = {}
while len(seen) < len(ports) and time.time() - t0 < 10:
    for p in ports:
        if p in seen:
            continue
        try:
            body = urllib.request.urlopen(f"http://127.0.0.1:{p}/metrics", timeout=2).read().decode()
        except OSError:
            continue
        if any(l.startswith(want) and l.endswith(" 1") for l in body.splitlines()):
            seen[p] = time.time() - t0
    time.sleep(0.05)
print(" ".join(f"{seen[p]:.2f}" if p in seen else "never" for p in ports))
EOF
)"
case "$SEEN" in *never*) fail "the replicas did not all report rules $NEW_VERSION within 10 s: $SEEN" ;; esac
echo "cluster: rollout: every replica serves rules $NEW_VERSION within $SEEN s of the ..data swap"

# --- 3. one replica stopped with SIGTERM mid-run ---------------------------------------------------
BEFORE=()
for i in 0 1 2; do BEFORE+=("$(metric "${MPORTS[$i]}" "$OK_CALLS")"); done
"$CALLS_BIN" --addr "127.0.0.1:$LB_PORT" --calls "$CALLS" --connections 4 --streams 4 \
  --term-pid "${PIDS[1]}" --term-after $((CALLS / 3)) | tee "$TMP/stop.out" || true
grep -q "^sent SIGTERM to ${PIDS[1]}" "$TMP/stop.out" || fail "the replica was not signalled"
set +e
wait "${PIDS[1]}"
code=$?
set -e
[ "$code" = 0 ] || fail "the stopped replica exited with $code"
grep -q "SIGTERM received" "$TMP/replica1.log" || fail "replica 1 logged no SIGTERM"
grep -q "^calls $CALLS ok $CALLS failed 0 " "$TMP/stop.out" || fail "calls failed through nginx while a replica stopped"
A0=$(($(metric "${MPORTS[0]}" "$OK_CALLS") - BEFORE[0]))
A2=$(($(metric "${MPORTS[2]}" "$OK_CALLS") - BEFORE[2]))
echo "cluster: rolling stop: $CALLS calls through nginx, SIGTERM to replica 1 after $((CALLS / 3)) answers; 0 failed; replica 1 exited 0; calls per replica: $A0 $((CALLS - A0 - A2)) $A2"
echo "cluster: PASS"

#!/usr/bin/env bash
# Load test of the release binary on loopback (issue 16's targets), with the Rust load client
# examples/load.rs:
#   1. sequential unary Classify calls of a seed article: p50 under 2 ms;
#   2. 64 connections x 16 calls in flight for 20 s: server RSS under 400 MB, under 64 threads,
#      answered p99 under 500 ms or the refused calls (RESOURCE_EXHAUSTED) answered within 50 ms;
#   3. 30 s later: server RSS within 150 MB of its idle RSS.
# Then SIGTERM: the server must exit 0.
# Usage: scripts/load.sh [load client flags...]   (e.g. --seconds 10 --settle 10)
#   KHABAR_BIN=path   server binary (default target/release/khabar)
#   LOAD_BIN=path     load client (default target/release/examples/load)
#   SERVE_ARGS="..."  extra flags for `khabar serve`
# Builds both with `cargo build --release --bin khabar --example load` unless they are given.
# Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${KHABAR_BIN:-}" ] || [ -z "${LOAD_BIN:-}" ]; then
  cargo build --release --bin khabar --example load
fi
BIN="${KHABAR_BIN:-target/release/khabar}"
LOAD="${LOAD_BIN:-target/release/examples/load}"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
ADDR="127.0.0.1:$PORT"
LOG="$(mktemp)"
# shellcheck disable=SC2086
RUST_LOG=warn "$BIN" serve --addr "$ADDR" ${SERVE_ARGS:-} 2>"$LOG" &
PID=$!
cleanup() {
  if kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then
    break
  fi
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; echo "load: the server exited at startup" >&2; exit 1; }
  sleep 0.1
done
sleep 1 # let the idle RSS settle
echo "load: server pid $PID on $ADDR ($(nproc) cores)"
set +e
"$LOAD" --addr "$ADDR" --pid "$PID" "$@"
rc=$?
set -e
kill -TERM "$PID"
set +e
wait "$PID"
exit_code=$?
set -e
if [ "$exit_code" -ne 0 ]; then
  echo "FAIL the server exited with $exit_code after SIGTERM" >&2
  cat "$LOG" >&2
  exit 1
fi
echo "PASS the server exited 0 after SIGTERM"
exit "$rc"

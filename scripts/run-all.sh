#!/usr/bin/env bash
# Starts roomd, signald and mediad in the foreground with prefixed logs; Ctrl-C
# (or SIGTERM) stops all three.
set -euo pipefail
BIN=${1:?usage: run-all.sh BIN_DIR}
export VOICE_SOCKET_DIR=${VOICE_SOCKET_DIR:-./run}
mkdir -p "$VOICE_SOCKET_DIR" data
chmod 700 "$VOICE_SOCKET_DIR"

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait || true
}
trap stop INT TERM EXIT

start() {
    local name=$1
    "$BIN/$name" 2>&1 | sed -u "s/^/[$name] /" &
    pids+=($!)
}

start roomd
sleep 1
start mediad
start signald
echo "Parley is up: web client at http://${ROOMD_HTTP:-127.0.0.1:8080}/ (admin key in data/admin.key unless ROOMD_ADMIN_KEY is set)"
wait -n || true

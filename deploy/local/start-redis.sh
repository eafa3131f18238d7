#!/usr/bin/env bash
# Starts redis-server on 127.0.0.1:$REDIS_PORT, daemonized, persistence off (no RDB, no AOF),
# working dir / log / pid under $AIGW_LOCAL_DIR/redis. Waits for PING. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"

REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"
command -v redis-server >/dev/null 2>&1 || die "redis-server not found; run $HERE/install.sh first"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found; run $HERE/install.sh first"

ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

if pid="$(pid_from_file "$REDIS_PID_FILE" redis-server)"; then
  ping && exit 0
  die "redis pid $pid is alive but does not answer PING on 127.0.0.1:$REDIS_PORT; run $HERE/stop-all.sh"
fi
rm -f "$REDIS_PID_FILE"
ensure_port_free redis "$REDIS_PORT"
mkdir -p "$REDIS_DIR"

redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode no \
  --save '' --appendonly no --dir "$REDIS_DIR" --dbfilename dump.rdb \
  --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_DIR/redis.log" --loglevel notice \
  >"$REDIS_DIR/redis.out" 2>&1 || { cat "$REDIS_DIR/redis.out" >&2; die "redis-server failed to start"; }

deadline=$((SECONDS + REDIS_START_TIMEOUT))
until ping; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "---- tail $REDIS_DIR/redis.log" >&2; tail -n 30 "$REDIS_DIR/redis.log" >&2 2>/dev/null || true
    die "redis did not answer PING on 127.0.0.1:$REDIS_PORT within ${REDIS_START_TIMEOUT}s"
  fi
  sleep 0.1
done
# the daemon writes its pid file itself; make sure it is there before returning
until [ -s "$REDIS_PID_FILE" ]; do [ "$SECONDS" -lt "$deadline" ] || die "redis pid file $REDIS_PID_FILE not written"; sleep 0.1; done

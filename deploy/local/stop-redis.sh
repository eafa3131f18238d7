#!/usr/bin/env bash
# Stops the redis-server started by start-redis.sh (by pid file) and waits for it to exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"
stop_pid_file redis "$REDIS_PID_FILE" redis-server "${REDIS_STOP_TIMEOUT:-20}"
[ "$STOPPED" = 0 ] || wait_port_closed "$REDIS_PORT" 10 || die "redis stopped but 127.0.0.1:$REDIS_PORT still accepts connections"

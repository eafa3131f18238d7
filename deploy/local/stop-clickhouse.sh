#!/usr/bin/env bash
# Stops the clickhouse-server started by start-clickhouse.sh (by pid file) and waits for it to exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"
stop_pid_file clickhouse "$CLICKHOUSE_PID_FILE" clickhouse "${CLICKHOUSE_STOP_TIMEOUT:-30}"
[ "$STOPPED" = 0 ] || wait_port_closed "$CLICKHOUSE_HTTP_PORT" 10 || die "clickhouse stopped but 127.0.0.1:$CLICKHOUSE_HTTP_PORT still accepts connections"

#!/usr/bin/env bash
# Stops the clickhouse-server started by start-clickhouse.sh (by pid file) and waits for it to exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"
stop_pid_file clickhouse "$CLICKHOUSE_PID_FILE" clickhouse "${CLICKHOUSE_STOP_TIMEOUT:-30}"

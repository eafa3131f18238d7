#!/usr/bin/env bash
# Stops the local Kafka broker started by start-kafka.sh (by pid file) and waits for it to exit.
# Data is kept, so start-kafka.sh brings the same cluster back.
#   --kill   SIGKILL instead of a clean shutdown (simulates a broker crash)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"
sig=TERM
case "${1:-}" in
  "") ;;
  --kill) sig=KILL ;;
  *) die "usage: $0 [--kill]" ;;
esac
stop_pid_file kafka "$KAFKA_PID_FILE" kafka.Kafka "${KAFKA_STOP_TIMEOUT:-60}" "$sig"
[ "$STOPPED" = 0 ] || wait_port_closed "$KAFKA_PORT" 10 || die "kafka stopped but 127.0.0.1:$KAFKA_PORT still accepts connections"
[ "$STOPPED" = 0 ] || wait_port_closed "$KAFKA_CONTROLLER_PORT" 10 || die "kafka stopped but 127.0.0.1:$KAFKA_CONTROLLER_PORT still accepts connections"

#!/usr/bin/env bash
# Stops Kafka, ClickHouse and Redis (by pid files) and waits for each to exit. Data is kept.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rc=0
"$HERE/stop-kafka.sh" || rc=1
"$HERE/stop-clickhouse.sh" || rc=1
"$HERE/stop-redis.sh" || rc=1
exit "$rc"

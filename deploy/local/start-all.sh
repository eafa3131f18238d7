#!/usr/bin/env bash
# install.sh (no-op when everything is present), then Redis, ClickHouse and Kafka.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/install.sh"
"$HERE/start-redis.sh"
"$HERE/start-clickhouse.sh"
"$HERE/start-kafka.sh"

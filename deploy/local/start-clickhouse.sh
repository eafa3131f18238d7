#!/usr/bin/env bash
# Starts Debian's clickhouse-server (18.16) in the background with its own config: HTTP on
# 127.0.0.1:$CLICKHOUSE_HTTP_PORT, native TCP on 127.0.0.1:$CLICKHOUSE_TCP_PORT, data, logs and
# pid under $AIGW_LOCAL_DIR/clickhouse (nothing under /var/lib). Waits for /ping = Ok. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"

CLICKHOUSE_START_TIMEOUT="${CLICKHOUSE_START_TIMEOUT:-60}"
CH_BIN="$(command -v clickhouse-server 2>/dev/null || true)"
[ -n "$CH_BIN" ] || { [ -x /usr/sbin/clickhouse-server ] && CH_BIN=/usr/sbin/clickhouse-server; }
[ -n "$CH_BIN" ] || die "clickhouse-server not found; run $HERE/install.sh first"
command -v curl >/dev/null 2>&1 || die "curl not found; run $HERE/install.sh first"

URL="http://127.0.0.1:$CLICKHOUSE_HTTP_PORT"
ping() { [ "$(curl -s --max-time 2 "$URL/ping" 2>/dev/null)" = "Ok." ]; }

if pid="$(pid_from_file "$CLICKHOUSE_PID_FILE" clickhouse)"; then
  ping && exit 0
  die "clickhouse pid $pid is alive but $URL/ping does not answer Ok.; run $HERE/stop-all.sh"
fi
rm -f "$CLICKHOUSE_PID_FILE"
ensure_port_free clickhouse-http "$CLICKHOUSE_HTTP_PORT"
ensure_port_free clickhouse-tcp "$CLICKHOUSE_TCP_PORT"

D="$CLICKHOUSE_DIR"
mkdir -p "$D/data" "$D/tmp" "$D/user_files" "$D/format_schemas" "$D/logs" "$D/config"

cat >"$D/config/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>information</level>
        <log>$D/logs/clickhouse-server.log</log>
        <errorlog>$D/logs/clickhouse-server.err.log</errorlog>
        <size>50M</size>
        <count>2</count>
    </logger>
    <http_port>$CLICKHOUSE_HTTP_PORT</http_port>
    <tcp_port>$CLICKHOUSE_TCP_PORT</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>1073741824</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$D/data/</path>
    <tmp_path>$D/tmp/</tmp_path>
    <user_files_path>$D/user_files/</user_files_path>
    <format_schema_path>$D/format_schemas/</format_schema_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <max_table_size_to_drop>0</max_table_size_to_drop>
    <max_partition_size_to_drop>0</max_partition_size_to_drop>
</yandex>
XML

cat >"$D/config/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
        <readonly><readonly>1</readonly></readonly>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries><errors>0</errors><result_rows>0</result_rows>
                <read_rows>0</read_rows><execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
XML

setsid nohup "$CH_BIN" --config-file="$D/config/config.xml" >"$D/logs/clickhouse.out" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$CLICKHOUSE_PID_FILE"

deadline=$((SECONDS + CLICKHOUSE_START_TIMEOUT))
until ping; do
  if ! alive "$pid" || [ "$SECONDS" -ge "$deadline" ]; then
    echo "---- tail $D/logs/clickhouse-server.err.log" >&2; tail -n 30 "$D/logs/clickhouse-server.err.log" >&2 2>/dev/null || true
    echo "---- tail $D/logs/clickhouse.out" >&2; tail -n 20 "$D/logs/clickhouse.out" >&2 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$CLICKHOUSE_PID_FILE"
    die "clickhouse did not answer $URL/ping within ${CLICKHOUSE_START_TIMEOUT}s (or exited)"
  fi
  sleep 0.2
done

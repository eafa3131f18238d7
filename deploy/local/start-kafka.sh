#!/usr/bin/env bash
# Starts a single-node KRaft Kafka broker (broker+controller) on 127.0.0.1:$KAFKA_PORT
# (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT) in the background, data under
# $AIGW_LOCAL_DIR/kafka. Formats storage only on first use. Returns once the broker is serving.
# Idempotent: returns at once if our broker is already running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"

KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"

[ -f "$KAFKA_LIBS/.complete" ] || die "Kafka $KAFKA_VERSION jars not found in $KAFKA_LIBS; run $HERE/install.sh first"
command -v java >/dev/null 2>&1 || die "java not found; run $HERE/install.sh first"

if pid="$(pid_from_file "$KAFKA_PID_FILE" kafka.Kafka)"; then
  port_open "$KAFKA_PORT" && exit 0
  die "kafka pid $pid is alive but 127.0.0.1:$KAFKA_PORT is not accepting connections; run $HERE/stop-kafka.sh"
fi
rm -f "$KAFKA_PID_FILE"
ensure_port_free kafka "$KAFKA_PORT"
ensure_port_free kafka-controller "$KAFKA_CONTROLLER_PORT"

DATA="$KAFKA_DIR/data"
LOGS="$KAFKA_DIR/logs"
CONF="$KAFKA_DIR/config"
mkdir -p "$DATA" "$LOGS" "$CONF"
CP="$KAFKA_LIBS/*"

cat >"$CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=3
auto.create.topics.enable=true
# single-node overrides (defaults assume 3 brokers)
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
default.replication.factor=1
min.insync.replicas=1
# keep first consumer-group use fast on a small machine
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
# after a crash (stop-kafka.sh --kill) the restarted broker must wait for its old registration's
# session to expire (default 9 s) before it can register again; shorten that for local use
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
num.network.threads=2
num.io.threads=4
log.retention.hours=24
PROPS

cat >"$CONF/log4j2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="${sys:kafka.logs.dir}/server.log"
                 filePattern="${sys:kafka.logs.dir}/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="50 MB"/></Policies>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
  </Loggers>
</Configuration>
XML

cat >"$CONF/log4j2-tools.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="%p %m (%c)%n"/></Console></Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="err"/></Root></Loggers>
</Configuration>
XML

# Format storage once per data dir (re-formatting with a new cluster id would fail / lose data).
if [ ! -f "$DATA/meta.properties" ]; then
  # Cluster id = 16 random bytes, base64url without padding (what StorageTool random-uuid
  # prints); avoid a leading '-' as Kafka's Uuid.randomUuid does. Saves one JVM start.
  cluster_id=-
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  java -Dlog4j2.configurationFile="$CONF/log4j2-tools.xml" -cp "$CP" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$CONF/server.properties" --standalone >"$LOGS/format.log" 2>&1 \
    || { cat "$LOGS/format.log" >&2; die "kafka: storage format of $DATA failed"; }
fi

# Keep the previous run's log; readiness is read from a fresh server.log.
[ -f "$LOGS/server.log" ] && mv -f "$LOGS/server.log" "$LOGS/server.log.prev"
: >"$LOGS/kafka.out"

# shellcheck disable=SC2086
setsid nohup java $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
  -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$CONF/log4j2.xml" \
  -cp "$CP" kafka.Kafka "$CONF/server.properties" \
  >"$LOGS/kafka.out" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$KAFKA_PID_FILE"

fail() {
  echo "ERROR: kafka did not become ready: $1" >&2
  echo "---- tail $LOGS/server.log" >&2; tail -n 40 "$LOGS/server.log" >&2 2>/dev/null || true
  echo "---- tail $LOGS/kafka.out" >&2; tail -n 20 "$LOGS/kafka.out" >&2 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$KAFKA_PID_FILE"
  exit 1
}

deadline=$((SECONDS + KAFKA_START_TIMEOUT))
while :; do
  alive "$pid" || fail "process $pid exited"
  # KafkaRaftServer logs this after the broker is unfenced and its listeners are open.
  if grep -q "Kafka Server started" "$LOGS/server.log" 2>/dev/null && port_open "$KAFKA_PORT"; then
    exit 0
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "timeout after ${KAFKA_START_TIMEOUT}s"
  sleep 0.25
done

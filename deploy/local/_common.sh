# shellcheck shell=bash disable=SC2034
# Shared settings and helpers for deploy/local/*.sh. Sourced, never run directly.

AIGW_LOCAL_DIR="${AIGW_LOCAL_DIR:-/tmp/aigw-local}"
AIGW_CACHE="${AIGW_CACHE:-$HOME/.cache/aigw}"

# Pinned Apache Kafka broker (org.apache.kafka:kafka_2.13 on Maven Central) and the log4j2 jars
# that its POM does not bring (log4j-slf4j-impl is the SLF4J 1.x binding; Kafka uses slf4j-api 1.7).
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
LOG4J_VERSION="${LOG4J_VERSION:-2.24.3}"
KAFKA_LIBS="$AIGW_CACHE/kafka-$KAFKA_VERSION/libs"

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DIR="$AIGW_LOCAL_DIR/kafka"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DIR="$AIGW_LOCAL_DIR/redis"
REDIS_PID_FILE="$REDIS_DIR/redis.pid"

CLICKHOUSE_HTTP_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
CLICKHOUSE_TCP_PORT="${CLICKHOUSE_TCP_PORT:-9000}"
CLICKHOUSE_DIR="$AIGW_LOCAL_DIR/clickhouse"
CLICKHOUSE_PID_FILE="$CLICKHOUSE_DIR/clickhouse.pid"

die() { echo "ERROR: $*" >&2; exit 1; }
warn() { echo "WARN: $*" >&2; }

# Run as root directly, otherwise through sudo (for apt).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# port_open PORT -> 0 if something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# alive PID -> 0 while the process exists and is not fully exited. kill -0 also succeeds on a
# zombie (a daemon whose parent is init stays one until init reaps it), and the leader of a
# multi-threaded process (a JVM) shows state Z while its other threads are still tearing down,
# so "dead" = state Z/X with no thread left besides the leader.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st
  st="$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null || true)"
  case "$st" in
    Z|X) [ "$(find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" -gt 1 ] ;;
    *) return 0 ;;
  esac
}

# wait_port_closed PORT TIMEOUT_S -> 0 once nothing accepts connections on 127.0.0.1:PORT.
wait_port_closed() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do port_open "$1" || return 0; sleep 0.1; done
  return 1
}

# pid_from_file FILE [PATTERN] -> prints the pid if the file names a live process (whose
# command line contains PATTERN, guarding against pid reuse), else nothing and rc 1.
pid_from_file() {
  local f="$1" pat="${2:-}" pid
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && alive "$pid" || return 1
  if [ -n "$pat" ] && [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pat" || return 1
  fi
  echo "$pid"
}

# stop_pid_file NAME FILE PATTERN TIMEOUT_S [SIGNAL]: signal the process, wait for it to
# exit, SIGKILL after the timeout, remove the pid file. Quiet and successful if not running.
# Sets STOPPED=1 if it stopped a process, STOPPED=0 if there was none.
STOPPED=0
stop_pid_file() {
  local name="$1" f="$2" pat="$3" timeout="$4" sig="${5:-TERM}" pid i
  STOPPED=0
  if ! pid="$(pid_from_file "$f" "$pat")"; then rm -f "$f"; return 0; fi
  STOPPED=1
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    alive "$pid" || { rm -f "$f"; return 0; }
    sleep 0.1
  done
  warn "$name (pid $pid) did not exit within ${timeout}s after SIG$sig; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive "$pid" || { rm -f "$f"; return 0; }
    sleep 0.1
  done
  die "$name (pid $pid) is still alive after SIGKILL"
}

# ensure_port_free NAME PORT: fail clearly if a foreign process already holds the port.
ensure_port_free() {
  if port_open "$2"; then
    local who=""
    command -v ss >/dev/null 2>&1 && who="$(ss -ltnpH "sport = :$2" 2>/dev/null | head -1)"
    die "$1: port 127.0.0.1:$2 is already in use by another process${who:+ ($who)}"
  fi
}

#!/usr/bin/env bash
# Installs what the cluster-mode tests need on a fresh Debian machine (idempotent, quiet):
#   - apt: redis-server, clickhouse-server (+ clickhouse-client), and java/mvn/curl if missing;
#     services that apt would auto-start are kept from starting / stopped again.
#   - Apache Kafka broker jars resolved from Maven Central into $AIGW_CACHE/kafka-<ver>/libs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=_common.sh
. "$HERE/_common.sh"

# ---------------------------------------------------------------- apt packages
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
pkgs=()
have redis-server || pkgs+=(redis-server)
have redis-cli || pkgs+=(redis-tools)
have clickhouse-server || pkgs+=(clickhouse-server)
have curl || pkgs+=(curl)
have java || pkgs+=(openjdk-17-jre-headless)
have mvn || pkgs+=(maven)
# Headless browser for the dashboard test (playwright-core drives /usr/bin/chromium).
have chromium || pkgs+=(chromium)

if [ "${#pkgs[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp)"
  # Keep apt's maintainer scripts from auto-starting redis/clickhouse services on our ports:
  # a policy-rc.d that answers 101 ("action forbidden") for the duration of the install.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    added_policy=1
  fi
  cleanup_policy() { [ "$added_policy" = 1 ] && as_root rm -f "$policy"; rm -f "$apt_log"; }
  trap cleanup_policy EXIT

  as_root apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
  if [[ " ${pkgs[*]} " == *" clickhouse-server "* ]] && apt-cache show clickhouse-client >/dev/null 2>&1; then
    pkgs+=(clickhouse-client)
  fi
  as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; die "apt-get install ${pkgs[*]} failed"; }

  # Belt and braces: if a distro service did start anyway (systemd host, or no policy-rc.d
  # honoured), stop and disable it so it never holds 6379 / 8123 / 9000.
  for svc in redis-server clickhouse-server; do
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      as_root systemctl disable --now "$svc" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$svc" ]; then
      as_root "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    fi
  done
fi

for bin in redis-server redis-cli clickhouse-server curl java mvn chromium; do
  have "$bin" || die "$bin is still missing after install"
done

# ---------------------------------------------------------------- Kafka jars
if [ ! -f "$KAFKA_LIBS/.complete" ]; then
  base="$(dirname "$KAFKA_LIBS")"
  mkdir -p "$base"
  work="$(mktemp -d "$base/resolve.XXXXXX")"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.aigw</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  if ! (cd "$work" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
        -DoutputDirectory="$work/libs" -DincludeScope=runtime >"$work/mvn.log" 2>&1); then
    cat "$work/mvn.log" >&2
    die "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central failed (log above)"
  fi
  [ -f "$work/libs/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing after resolve"
  echo "$KAFKA_VERSION" >"$work/libs/.complete"
  rm -rf "$KAFKA_LIBS"
  mv "$work/libs" "$KAFKA_LIBS"
  rm -rf "$work"
fi

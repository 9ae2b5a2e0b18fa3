#!/usr/bin/env bash
# The benchmark command: the packaged service against the machine's PostgreSQL, a Kafka broker in its own JVM and
# postfix's smtp-sink, each scenario beside its baselines, three repetitions each (see docs/benchmarks.md).
#
#   deploy/bench/run.sh [--size small|full] [--docs|--no-docs] [start-up|sign-up|ingest|delivery|fan-out ...]
#
# --size small (the default) checks that everything works, in under two minutes; --size full gives the figures of
# docs/benchmarks.md and rewrites its generated part and charts (--no-docs keeps them; the report then goes to
# target/bench/benchmarks.md). Single values: -Dbench.* system properties in BENCH_JAVA_OPTS (see Size.java).
# BENCH_SKIP_BUILD=1 uses the build already in target/ (CI runs this right after `./mvnw verify`).
set -euo pipefail
cd "$(dirname "$0")/../.."

# smtp-sink and smtp-source come with postfix, installed without configuring or starting a mail server; wrk loads
# the sign-up API.
missing=""
command -v smtp-sink >/dev/null 2>&1 || missing="$missing postfix"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || { echo "run.sh: install$missing first (as root)" >&2; exit 1; }
  echo "Installing:$missing"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "run.sh: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

export MAVEN_ARGS="${MAVEN_ARGS:---batch-mode --no-transfer-progress}"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building the packaged application and the harness..."
  ./mvnw -q package -DskipTests
fi
# The start-up scenario's baseline (deploy/bench/start-up-baseline), when that scenario runs (all do by default).
baseline=deploy/bench/start-up-baseline
scenarios=" $* "
if [[ "$scenarios" == *" start-up "* || ! "$scenarios" =~ \ (sign-up|ingest|delivery|fan-out)\  ]] \
    && [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f $baseline/target/quarkus-app/quarkus-run.jar ]]; then
  echo "Building the start-up baseline..."
  ./mvnw -q -f $baseline/pom.xml package
fi
mkdir -p target/bench
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
# The harness is a plain JVM (not Maven's), so that Maven's own heap and threads are not on the machine meanwhile.
# shellcheck disable=SC2086
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  org.optout.notifier.benchmark.Bench "$@"

#!/usr/bin/env bash
# The fault-injection suite: the packaged service as real processes against the machine's PostgreSQL (a database of
# its own, reached through a proxy the suite can cut), a Kafka broker in its own JVM (killed and started again) and
# postfix's smtp-sink (which keeps every accepted message, so outcomes are counted at the SMTP server), then the
# relay-fault and stop-race tests of the suite on the SMTP side (see docs/reliability.md).
#
#   deploy/faults/run.sh [--size quick|full] [--docs|--no-docs] [crash|replicas|database-outage|broker-restart|poison ...]
#
# --size quick (the default) runs every scenario small, in about five minutes; --size full holds the loads and outages
# of docs/reliability.md (about an hour) and writes its table there (--no-docs keeps it in target/faults/faults.md).
# Single values: -Dfaults.* system properties in FAULTS_JAVA_OPTS (see FaultSize.java; -Dfaults.seed replays the
# random moments of a run). FAULTS_SKIP_BUILD=1 uses the build in target/; FAULTS_SKIP_SMTP_TESTS=1 leaves out the
# SMTP-side tests (CI runs them in `./mvnw verify` just before).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v smtp-sink >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "run.sh: install postfix first (as root)" >&2; exit 1; }
  echo "Installing postfix (for smtp-sink; no mail server is configured or started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "run.sh: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

size=quick
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --size ]; then j=$((i + 1)); size=${!j}; fi
done

export MAVEN_ARGS="${MAVEN_ARGS:---batch-mode --no-transfer-progress}"
if [ "${FAULTS_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building the packaged application and the suite..."
  ./mvnw -q package -DskipTests
fi
mkdir -p target/faults
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/faults/classpath.txt
# shellcheck disable=SC2086
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${FAULTS_JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/faults/classpath.txt)" \
  org.optout.notifier.faults.FaultSuite "$@"

# The SMTP side: a relay refusing connections, then answering 421, for minutes (longer in the full size), a mailbox
# verdict, a relay's policy refusal, a deadline passing mid-round, and stops racing a held mail and a revision.
if [ "${FAULTS_SKIP_SMTP_TESTS:-0}" != 1 ]; then
  if [ "$size" = full ]; then
    outage="-Dreliability.subscribers=200 -Dreliability.refused-minutes=10 -Dreliability.busy-minutes=10"
  else
    outage=""
  fi
  # shellcheck disable=SC2086
  ./mvnw -q test -Dtest='RelayOutageTest,DeliveryFailureTest,StopRaceTest,ConcurrentDispatchTest' $outage
fi

#!/usr/bin/env bash
# Runs optout-notifier on this machine with no Docker: a real Kafka broker (KRaft) and an SMTP catcher in one JVM,
# and the service built with the %dev profile (embedded H2 database in deploy/local/work/db) in another.
# Ctrl-C stops everything this script started.
#
# Environment: KAFKA_PORT (9092), SMTP_PORT (2525), HTTP_PORT (8080).
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
work=$root/deploy/local/work
kafka_port=${KAFKA_PORT:-9092}
smtp_port=${SMTP_PORT:-2525}
http_port=${HTTP_PORT:-8080}
mkdir -p "$work"
rm -f "$work/infrastructure.ready"

groups=()
stopped=0
stop_all() {
  [ "$stopped" = 1 ] && return
  stopped=1
  trap "" INT TERM
  echo "Stopping..."
  # The service first, while the broker it talks to is still up; then the broker and the SMTP catcher.
  for ((i = ${#groups[@]} - 1; i >= 0; i--)); do
    group=${groups[$i]}
    kill -TERM -- "-$group" 2>/dev/null || kill -TERM "$group" 2>/dev/null || true
    for _ in $(seq 1 75); do
      kill -0 -- "-$group" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$group" 2>/dev/null || true
  done
  echo "Stopped."
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

fail() { echo "run.sh: $*" >&2; exit 1; }

wait_until() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" && return 0
    # The process itself, not its group: right after the fork, setsid may not have made the group yet.
    for group in "${groups[@]}"; do kill -0 "$group" 2>/dev/null || fail "a process stopped while waiting for $what"; done
    sleep 0.5
  done
  fail "$what not ready after ${seconds}s"
}

echo "Building (the first run downloads dependencies from Maven Central)..."
# The %dev build (H2) goes to target/local, beside the production build in target/quarkus-app. `quarkus:dev` is not
# used: its template debugger (io.quarkus.qute:qute-debug:3.33.2) is missing from Maven Central.
# The test classes hold the local broker and SMTP catcher, the same code the test suite uses.
./mvnw -B -q package -DskipTests -Dquarkus.profile=dev -Dquarkus.package.output-directory=local

echo "Starting Kafka on localhost:$kafka_port and the SMTP catcher on localhost:$smtp_port..."
setsid ./mvnw -B -q exec:java@local-infrastructure -Dlocal.work="$work" \
  -Dlocal.kafka.port="$kafka_port" -Dlocal.smtp.port="$smtp_port" > "$work/infrastructure.log" 2>&1 &
groups+=($!)
wait_until 120 "Kafka and SMTP (see $work/infrastructure.log)" test -f "$work/infrastructure.ready"

echo "Starting optout-notifier on http://localhost:$http_port ..."
QUARKUS_PROFILE=dev \
KAFKA_BOOTSTRAP_SERVERS=localhost:$kafka_port \
QUARKUS_MAILER_PORT=$smtp_port \
QUARKUS_HTTP_PORT=$http_port \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$work/db/optout-notifier;LOCK_TIMEOUT=40000" \
  setsid java -jar target/local/quarkus-run.jar &
groups+=($!)
wait_until 180 "the service" curl -fs -o /dev/null "http://localhost:$http_port/q/health/ready"

cat <<INFO

  optout-notifier is ready (Ctrl-C stops everything).
    Web pages      http://localhost:$http_port/
    API docs       http://localhost:$http_port/q/swagger-ui
    Health         http://localhost:$http_port/q/health
    Kafka broker   localhost:$kafka_port  (topic policy-changes; see README "Kafka contract")
    Mails          saved as .eml files in $work/mails
    Database       H2 file $work/db/optout-notifier.mv.db

  Publish a sample policy change:
    kcat -P -b localhost:$kafka_port -t policy-changes -k linkedin-genai-training-2025 \\
      -H content-type=application/cloudevents+json deploy/samples/linkedin-genai-training-2025.json

INFO
wait

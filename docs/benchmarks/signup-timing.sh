#!/usr/bin/env bash
# Measures POST /api/subscriptions response times for new, pending and active addresses against a running service,
# to check that the answer does not reveal whether an address is subscribed (see docs/benchmarks.md).
#
# Start the service first, without the per-IP limit getting in the way:
#   NOTIFIER_RATE_LIMIT_SIGN_UPS_PER_WINDOW=1000000 deploy/local/run.sh
# then: docs/benchmarks/signup-timing.sh [requests per kind, default 300]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${BASE_URL:-http://localhost:8080}
mails=${MAILS:-deploy/local/work/mails}
n=${1:-300}
run=$(date +%s)

body() { printf '{"email":"%s","country":"HK","platforms":["linkedin"]}' "$1"; }
post() { curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' -d "$(body "$1")" "$base/api/subscriptions"; }

# One active and one pending address.
active="bench-active-$run@example.org"
pending="bench-pending-$run@example.org"
post "$active" >/dev/null
post "$pending" >/dev/null
for _ in $(seq 1 50); do
  file=$(grep -l "$active" "$mails"/*.eml 2>/dev/null | head -1 || true)
  [ -n "$file" ] && break
  sleep 0.2
done
[ -n "${file:-}" ] || { echo "no confirmation mail for $active in $mails" >&2; exit 1; }
token=$(grep -o '/confirm/[A-Za-z0-9_-]*' "$file" | head -1 | cut -d/ -f3)
curl -s -o /dev/null -X POST "$base/api/confirmations/$token"

# Warm up, then interleave the three kinds in a random order each round, so that drift and the background work a
# request leaves behind (answering the previous request) fall on all kinds alike.
for i in $(seq 1 50); do post "bench-warm-$run-$i@example.org" >/dev/null; done
: > /tmp/signup-new.txt; : > /tmp/signup-pending.txt; : > /tmp/signup-active.txt
for i in $(seq 1 "$n"); do
  for kind in $(printf 'new\npending\nactive\n' | shuf); do
    case $kind in
      new) post "bench-new-$run-$i@example.org" >> /tmp/signup-new.txt ;;
      pending) post "$pending" >> /tmp/signup-pending.txt ;;
      active) post "$active" >> /tmp/signup-active.txt ;;
    esac
  done
done

stats() { sort -n "$2" | awk -v kind="$1" '{ v[NR] = $1 * 1000; s += $1 * 1000 }
  END { printf "%-8s n=%d mean=%.2f ms median=%.2f ms p95=%.2f ms\n", kind, NR, s / NR, v[int(NR * 0.5)], v[int(NR * 0.95)] }'; }
stats new /tmp/signup-new.txt
stats pending /tmp/signup-pending.txt
stats active /tmp/signup-active.txt

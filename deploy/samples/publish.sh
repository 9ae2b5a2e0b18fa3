#!/usr/bin/env bash
# Publishes every sample policy change to a broker with kcat (apt-get install kcat), keyed by its changeId.
# The demo sample gets an effective date 10 days from today, so that it always has an upcoming deadline.
# Usage: deploy/samples/publish.sh [bootstrap servers, default localhost:9092]
set -euo pipefail
cd "$(dirname "$0")"
broker=${1:-localhost:9092}
demo_date=$(date -u -d "+10 days" +%F)
for sample in *.json; do
  key=$(grep -o '"changeId": *"[^"]*"' "$sample" | head -1 | sed 's/.*: *"\(.*\)"/\1/')
  if [[ $sample == demo-* ]]; then
    sed "s/\"effectiveDate\": *\"[0-9-]*\"/\"effectiveDate\": \"$demo_date\"/" "$sample" > "/tmp/$sample"
    file="/tmp/$sample"
  else
    file=$sample
  fi
  kcat -P -b "$broker" -t policy-changes -k "$key" -H content-type=application/cloudevents+json "$file"
  echo "published $sample (key $key)"
done

#!/usr/bin/env bash
# Renders optout-notifier.yaml from the Helm chart with values.yaml, through HelmChartTest (which bundles Helm, so
# no helm binary is needed); the same test fails the build when the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q test -Dtest=HelmChartTest -Dsurefire.failIfNoSpecifiedTests=false -Dhelm.render.write=true
echo "wrote deploy/kubernetes/optout-notifier.yaml"

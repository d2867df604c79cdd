#!/usr/bin/env bash
# The suites run again on Node 22 (fetched once by scripts/node22.sh): every suite that needs neither Electron nor
# a Docker engine (run-tests.mjs --unit: the pure units, the CLI on real files, the router, the stand-in window),
# then the CLI's lifecycle on the real engine (setup, up, down, reset with its snapshot) as one end-to-end check.
# Expects a build (npm run build); run-tests.mjs and the CLI processes the suites start use this same node.
set -euo pipefail
cd "$(dirname "$0")/.."
node22="$(bash scripts/node22.sh 22)"
echo "test-node22: $("$node22" --version)"
exec "$node22" scripts/run-tests.mjs --unit --with=/dist/test/docker/lifecycle.

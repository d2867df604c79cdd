#!/usr/bin/env bash
# The suites that need neither Electron nor a Docker engine, run again on Node 22 (fetched once by
# scripts/node22.sh): the pure units and the CLI's registry, allocator, identity and file-generation suites.
# Expects a build (npm run build); run-tests.mjs and the CLI processes the suites start use this same node.
set -euo pipefail
cd "$(dirname "$0")/.."
node22="$(bash scripts/node22.sh 22)"
echo "test-node22: $("$node22" --version)"
exec "$node22" scripts/run-tests.mjs \
  /dist/test/unit/ /dist/test/ports/allocator. /dist/test/cli/cli. /dist/test/cli/generator. \
  /dist/test/cli/identity. /dist/test/ports/mainNames. /dist/test/cli/names. /dist/test/cli/registry. \
  /dist/test/cli/hardening.

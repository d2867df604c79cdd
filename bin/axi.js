#!/usr/bin/env node
'use strict';
// Thin launcher. The CLI is bundled into one file by `npm run build` (run by `npm install`); dockerode is its own
// bundle with BuildKit's gRPC and protobuf deferred (dist/dockerode.cjs), and jsonc-parser and yaml load from
// node_modules when a command reads such a file, so `list` and `check-conflicts` parse only what they run.
const { main } = require('../dist/axi.cjs');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

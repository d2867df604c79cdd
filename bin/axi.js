#!/usr/bin/env node
'use strict';
// Thin launcher. The CLI is bundled into one file by `npm run build` (run by `npm install`); dockerode is its own
// bundle with BuildKit's gRPC and protobuf deferred (dist/dockerode.cjs), yaml too (dist/yaml.cjs, both through the
// code cache), loaded when a command first needs them; jsonc-parser loads from node_modules when a command reads such
// a file, so `list` and `check-conflicts` parse only what they run.
// `axi mcp [--all]` starts from its own bundle (dist/mcp.cjs, no commander nor the other commands): agents'
// clients start one server per session.
const args = process.argv.slice(2);
const mcp = args[0] === 'mcp' && args.slice(1).every((a) => a === '--all');
const path = require('node:path');
// Through V8's code cache (dist/codeCache.cjs): compiling the bundle is most of a short command's own time.
let load = require;
try {
  load = require('../dist/codeCache.cjs').requireWithCodeCache;
} catch {
  // an older build without it: compile as usual
}
// One code cache per command: each holds the functions its command runs (see main/core/util/codeCache.ts).
const variant = /^[a-z][a-z-]{0,30}$/.test(args[0] ?? '') ? args[0] : '';
const { main } = load(path.join(__dirname, '..', 'dist', mcp ? 'mcp.cjs' : 'axi.cjs'), variant);
main(args).then((code) => {
  process.exitCode = code;
});

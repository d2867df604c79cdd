#!/usr/bin/env node
'use strict';
// Thin launcher. The CLI is bundled into one file by `npm run build` (run by `npm install`; dockerode and
// jsonc-parser stay outside: one has native parts, the other a UMD build, and both load only when needed):
// loading one file instead of ~150 small modules is a third of the start-up on slow disks.
const { main } = require('../dist/axi.cjs');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

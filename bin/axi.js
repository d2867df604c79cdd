#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
const { main } = require('../dist/main/cli/axi.js');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

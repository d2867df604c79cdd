#!/usr/bin/env node
// The closing line of .ci/run: the counts every run-tests.mjs run appended to $AXI_TEST_TOTALS (one JSON line
// each: Node 20's full run, then Node 22's), first per Node version, then one `N passed, N failed` for all.
import { readFileSync } from 'node:fs';

const runs = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const words = (c) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of runs) for (const k of Object.keys(total)) total[k] += r[k];
console.log(`\nNode ${runs.map((r) => `${r.node}: ${words(r)}`).join('; Node ')}`);
console.log(words(total));
process.exit(total.failed || runs.length === 0 ? 1 : 0);

#!/usr/bin/env node
// Runs every suite (unit, CLI, Docker, browser) under node's test runner and
// ends with one line for all of them: `N passed, N failed, N skipped`.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testDir = path.join(root, 'dist', 'test');
const filter = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

const files = walk(testDir)
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${testDir}${filter.length ? ` matching ${filter.join(', ')}` : ''}`);
  process.exit(2);
}

const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1', // Docker and host-port suites share one engine and one port space
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'scripts', 'summary-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, AXI_TEST_ROOT: root } },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 1));

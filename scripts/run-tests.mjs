#!/usr/bin/env node
// Runs every suite (unit, CLI, Docker, browser) under node's test runner and
// ends with one line for all of them: `N passed, N failed, N skipped`.
// `--unit` runs only the suites that need no Docker engine, browser or root, several at once (npm run test:unit);
// a full run runs those several at once too, then the rest one at a time.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testDir = path.join(root, 'dist', 'test');
const unit = process.argv.includes('--unit');
// `--unit --with=docker/lifecycle.`: the unit suites plus these (Node 22's run in .ci/run), one closing line for all.
const withSuites = process.argv.filter((a) => a.startsWith('--with=')).map((a) => a.slice('--with='.length));
const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));

// The fast loop's suites: no Docker engine, no browser, no root (a root-only part skips without it), and no fixed
// host port held or needed free (test/ports/ holds some, which would move the other suites' allocations while they
// run alongside, and expects the seed's base ports free, which a developer's own instances hold).
// A new suite that qualifies goes in test/unit/ (functions, in process) or test/cli/ (the CLI on real files).
const UNIT_SUITES = [
  'test/unit/',
  'test/cli/',
  'test/compose/fromCompose.',
  'test/router/routerProxy.',
  'test/router/routerTlsHosts.',
  'test/app/trayAndNotifications.',
  'test/app/windowAndPreferences.',
  'test/app/packaging.',
  'test/desktop/standin.',
].map((p) => `${path.sep}dist${path.sep}${p.split('/').join(path.sep)}`);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

/** A built suite whose source is gone (moved or deleted since that build) is not run: dist/ is never cleaned. */
function hasSource(file) {
  const rel = path.relative(path.join(root, 'dist'), file).replace(/\.js$/, '.ts');
  return existsSync(path.join(root, rel));
}

/** Where setup-machine.sh put the Compose v2 plugin (a private DOCKER_CONFIG), if it did. */
function composeV2Config() {
  const home = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const candidates = [
    process.env.AXI_COMPOSE_V2_CONFIG,
    '/var/cache/axi-compose-v2/docker-config',
    path.join(home, 'axi-compose-v2', 'docker-config'),
  ];
  return candidates.find((d) => d && existsSync(path.join(d, 'cli-plugins', 'docker-compose')));
}

const v2 = composeV2Config();
// The unit suites mostly wait on the axi processes they start, so two per core keeps both cores busy.
const UNIT_CONCURRENCY = Number(process.env.AXI_TEST_CONCURRENCY) || 2 * os.availableParallelism();
// The Docker suites run once per Compose version: as themselves under v1, and through the thin
// `test/composeV2/*` files, which switch to v2 and load the same suites again.
const files = walk(testDir)
  .filter(hasSource)
  .filter((f) => !unit || UNIT_SUITES.some((x) => f.includes(x)) || withSuites.some((x) => f.includes(x)))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .filter((f) => v2 || !f.includes(`${path.sep}composeV2${path.sep}`))
  .sort();
if (!v2 && !unit) {
  const msg = 'Compose v2 is not installed (run scripts/setup-machine.sh): the Docker suites run under v1 only';
  if (process.env.CI) {
    console.error(`run-tests: ${msg}`);
    process.exit(2);
  }
  console.warn(`run-tests: warning: ${msg}`);
}
if (files.length === 0) {
  console.error(`no test files under ${testDir}${filter.length ? ` matching ${filter.join(', ')}` : ''}`);
  process.exit(2);
}

/** One `node --test` over `list`; resolves with its exit code. Its counts go to `counts` (see summary-reporter.mjs). */
function run(list, concurrency, counts) {
  const child = spawn(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts', 'summary-reporter.mjs')}`,
      '--test-reporter-destination=stdout',
      ...list,
    ],
    {
      stdio: 'inherit',
      cwd: root,
      env: {
        ...process.env,
        AXI_TEST_ROOT: root,
        AXI_COMPOSE: process.env.AXI_COMPOSE ?? 'v1',
        AXI_TEST_COUNTS: counts,
        ...(v2 ? { AXI_COMPOSE_V2_CONFIG: v2 } : {}),
      },
    },
  );
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1))));
}

// Two rounds: the suites that share nothing (UNIT_SUITES) several at once, then the ones that share one engine and
// one port space, one at a time. One closing line for both.
const isUnit = (f) => UNIT_SUITES.some((x) => f.includes(x));
const rounds = [
  [files.filter(isUnit), UNIT_CONCURRENCY],
  [files.filter((f) => !isUnit(f)), 1],
].filter(([list]) => list.length > 0);
const counts = path.join(mkdtempSync(path.join(os.tmpdir(), 'axi-counts-')), 'counts');
let code = 0;
for (const [list, concurrency] of rounds) code = (await run(list, concurrency, counts)) || code;
const total = { passed: 0, failed: 0, skipped: 0 };
for (const line of existsSync(counts) ? readFileSync(counts, 'utf8').split('\n').filter(Boolean) : [])
  for (const [k, v] of Object.entries(JSON.parse(line))) total[k] += v;
rmSync(path.dirname(counts), { recursive: true, force: true });
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
// .ci/run runs this twice (Node 20, then 22) and ends with one line for both (scripts/total-counts.mjs).
if (process.env.AXI_TEST_TOTALS)
  appendFileSync(process.env.AXI_TEST_TOTALS, `${JSON.stringify({ node: process.version, ...total })}\n`);
process.exit(code || (total.failed ? 1 : 0));

#!/usr/bin/env node
// The README's screenshot (docs/screenshot.png): two repositories with their worktrees, nine
// instances grouped in the window, one running, on the real engine. Everything lives in a temp
// folder with its own AXI_HOME and AXI_PREFIX, and is taken down afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AXI = path.join(root, 'bin', 'axi.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-shot-'));
const env = {
  ...process.env,
  HOME: path.join(dir, 'user'),
  AXI_HOME: path.join(dir, 'axi'),
  AXI_PORT_REGISTRY: path.join(dir, 'registry'),
  AXI_PREFIX: 'axishot',
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
};
const src = path.join(env.HOME, 'src');
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, stdio: 'ignore' });
const axi = (...args) =>
  execFileSync(process.execPath, [AXI, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });

/** A repository with one commit and its worktrees beside it, each registered. */
function repository(name, branches, mainArgs = []) {
  const main = path.join(src, name);
  mkdirSync(main, { recursive: true });
  git(main, 'init', '-q', '-b', 'main');
  git(main, 'commit', '-q', '--allow-empty', '-m', 'start');
  axi('setup', main, ...mainArgs);
  for (const b of branches) {
    const tree = path.join(src, `${name}-${b.replace(/\//g, '-')}`);
    git(main, 'worktree', 'add', '-q', tree, '-b', b);
    axi('setup', tree);
  }
}

function serve() {
  const child = spawn(process.execPath, [AXI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
  });
}

try {
  repository('aegisx-starter', ['feature/login', 'feature/payments', 'fix/session-timeout', 'review/pr-412']);
  // A second main checkout would take the same base ports as the first: moved, as `axi setup` suggests.
  repository('aegisx-admin', ['feature/reports', 'chore/deps'], ['--reassign']);
  mkdirSync(path.join(src, 'aegisx-starter-spike'), { recursive: true });
  axi('setup', path.join(src, 'aegisx-starter-spike'));
  axi('up', 'feature_login', '--wait');
  const { url, child } = await serve();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(url);
    await page.locator('[data-state=Running]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.waitForTimeout(6000); // the first stats sample
    await page.screenshot({ path: path.join(root, 'docs', 'screenshot.png') });
    await page.getByRole('button', { name: 'Cards' }).click();
  } finally {
    await browser.close();
    child.kill();
  }
  console.log('wrote docs/screenshot.png');
} finally {
  try {
    axi('down', 'feature_login');
  } catch {
    // nothing started
  }
  rmSync(dir, { recursive: true, force: true });
}

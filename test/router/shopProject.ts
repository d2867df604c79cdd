/**
 * One project, two instances: `shop` (the main checkout) and its worktree `shop-feature-x`, each serving its own
 * front page and a login CGI under busybox httpd (the nginx stand-in), for the router's suites.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import assert from 'node:assert/strict';
import { runAxi, runAxiJson } from '../helpers';

/** A page that logs in (`?user=NAME` sets a session cookie) and says whose session it sees. */
const LOGIN_CGI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n'
case "$QUERY_STRING" in
  user=*) printf 'Set-Cookie: sid=%s; Path=/; HttpOnly\\r\\n\\r\\nlogged in\\n' "\${QUERY_STRING#user=}";;
  *) printf '\\r\\nsession: %s host: %s\\n' "\${HTTP_COOKIE:-none}" "$HTTP_HOST";;
esac
`;
const COMPOSE = `services:
  web:
    image: nginx:alpine
    ports:
      - "18473:80"
    volumes:
      - ./site:/usr/share/nginx/html:ro
`;

/** What each instance's front page says. */
export const PAGE = { main: '<h1>the main checkout of shop</h1>', worktree: '<h1>the feature-x worktree of shop</h1>' };

/** `shop` (the main checkout) and its worktree `shop-feature-x`: one project, two instances. */
export function makeProject(parent: string): { main: string; worktree: string } {
  const main = path.join(parent, 'shop');
  mkdirSync(path.join(main, 'site', 'cgi-bin'), { recursive: true });
  writeFileSync(path.join(main, 'docker-compose.yml'), COMPOSE);
  writeFileSync(path.join(main, '.aegisx-instances.yml'), 'from: docker-compose.yml\nrouter: { web: web }\n');
  writeFileSync(path.join(main, 'site', 'index.html'), `<!doctype html><title>shop</title>${PAGE.main}`);
  writeFileSync(path.join(main, 'site', 'cgi-bin', 'login'), LOGIN_CGI);
  chmodSync(path.join(main, 'site', 'cgi-bin', 'login'), 0o755);
  const git = (...args: string[]) => execFileSync('git', ['-C', main, ...args], { stdio: 'pipe' });
  execFileSync('git', ['init', '-q', '-b', 'main', main]);
  git('add', '.');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'shop');
  const worktree = path.join(parent, 'shop-feature-x');
  git('worktree', 'add', '-q', '-b', 'feature-x', worktree);
  // Each its own front page, so a test can tell which instance answered.
  writeFileSync(path.join(worktree, 'site', 'index.html'), `<!doctype html><title>shop</title>${PAGE.worktree}`);
  return { main, worktree };
}

export function get(port: number, host: string, p = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { Host: host }, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

/** Asks until `ok` holds (the router follows engine events; a container takes a moment to answer). */
export async function until<T>(what: string, ask: () => Promise<T>, ok: (t: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const t = await ask().catch((e: unknown) => e as T);
    if (ok(t)) return t;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `axi setup` and `axi up` of each folder; its web port by instance name (`shop`, `feature_x`). */
export async function upAll(env: NodeJS.ProcessEnv, dirs: readonly string[]): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const dir of dirs) {
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    ports[s.json.name as string] = s.json.ports.web as number;
    const up = await runAxi(['up', dir], { env });
    assert.equal(up.code, 0, up.stderr);
  }
  return ports;
}

/** Removes each instance with its containers, volumes and network. */
export async function removeAll(env: NodeJS.ProcessEnv, dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) await runAxi(['remove', dir, '--down'], { env });
}

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type net from 'node:net';
import { OverviewFeed } from '../../main/router/feed';
import { startRouter, type RunningRouter } from '../../main/router/server';
import { secureServer } from '../../main/router/tls';
import type { InstanceView } from '../../main/shared/api/table';
import { AXI_BIN, runAxi, type RunResult } from '../helpers';

/**
 * A project `name` (the main checkout, its files committed) and its worktree `<name>-feature-x` on branch
 * feature-x: one project, two instances. `executable` files are committed with their x bit.
 */
export function makeProject(
  parent: string,
  name: string,
  files: Record<string, string>,
  executable: string[] = [],
): { main: string; worktree: string } {
  const main = path.join(parent, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(main, file)), { recursive: true });
    writeFileSync(path.join(main, file), text);
  }
  for (const file of executable) chmodSync(path.join(main, file), 0o755);
  const git = (...args: string[]) => execFileSync('git', ['-C', main, ...args], { stdio: 'pipe' });
  execFileSync('git', ['init', '-q', '-b', 'main', main]);
  git('add', '.');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', name);
  const worktree = path.join(parent, `${name}-feature-x`);
  git('worktree', 'add', '-q', '-b', 'feature-x', worktree);
  return { main, worktree };
}

/** GET `p` from the router on `port` for the site `host` (its Host header); the status and the body. */
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

/**
 * `axi router` on a free port, as a user starts it (`env` may set its idle check and wake time); resolves once it
 * says where it listens. The bench loads this too (from dist), and passes `onStderr` to show what it says.
 */
export function startRouterCli(
  env: NodeJS.ProcessEnv,
  onStderr?: (d: Buffer) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [AXI_BIN, 'router', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Router on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      onStderr?.(d);
    });
    child.once('exit', (code) => reject(new Error(`axi router exited ${code}: ${out}`)));
  });
}

/**
 * `axi router tls on` in the sandbox of `env`, then a router on TLS whose one instance, shop/a
 * (`https://a.shop.localhost`), is a plain HTTP server answering `answer`; `httpsPort`: a second port it answers
 * on too (0: any free one). The caller closes both.
 */
export async function tlsRouterToOne(
  env: NodeJS.ProcessEnv,
  answer: (req: http.IncomingMessage) => string,
  httpsPort?: number,
): Promise<{ on: RunResult; up: http.Server; router: RunningRouter }> {
  const up = http.createServer((req, res) => res.end(answer(req)));
  await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
  const on = await runAxi(['router', 'tls', 'on'], { env });
  assert.equal(on.code, 0, on.stderr);
  const feed = new OverviewFeed();
  const tls = await secureServer(env.AXI_HOME!);
  const router = await startRouter({ feed, port: 0, tls, ...(httpsPort === undefined ? {} : { httpsPort }) });
  const web = (up.address() as net.AddressInfo).port;
  const routes = [{ key: 'web', url: `https://a.shop.localhost:${router.port}`, web: true }];
  feed.update({
    instances: [
      {
        id: 'shop/a',
        label: 'a',
        status: 'running',
        services: { web: { state: 'running', health: 'none' } },
        ports: { web },
        bind: '127.0.0.1',
        routes,
      },
    ],
  } as unknown as { instances: InstanceView[] });
  return { on, up, router };
}

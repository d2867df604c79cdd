import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../app/browserHelpers';
import { psql, removeOwned, RUN } from '../docker/dockerHelpers';
import { callTool, mcpClients } from '../docker/mcpClients';
import { runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { get, makeProject, startRouterCli, until as untilOk } from './routerHelpers';

/** Our own tag of nginx, so the failing-wake test can remove it without touching anyone's image. */
const WEB_IMAGE = 'axi-idle-web:test';
const COMPOSE = `services:
  db:
    image: postgres:15-alpine
    environment: { POSTGRES_USER: postgres, POSTGRES_PASSWORD: postgres, POSTGRES_DB: aegisx_db }
    ports: ["15471:5432"]
    volumes: [data:/var/lib/postgresql/data]
  web:
    image: ${WEB_IMAGE}
    ports: ["18471:80"]
    volumes: ["./site:/usr/share/nginx/html:ro"]
volumes:
  data: {}
`;
const IDLE_S = 3;

/** `sleepy` (main checkout) and its worktree `sleepy-feature-x`, which sleeps after 3 s (`idle: 3s`: worktrees only). */
function makeSleepy(parent: string): { main: string; worktree: string } {
  const made = makeProject(parent, 'sleepy', {
    'docker-compose.yml': COMPOSE,
    '.aegisx-instances.yml': `from: docker-compose.yml\nrouter: { web: web }\nidle: ${IDLE_S}s\n`,
    'site/index.html': 'main site\n',
  });
  writeFileSync(path.join(made.worktree, 'site', 'index.html'), 'feature-x site\n');
  return made;
}

const until = <T>(what: string, ask: () => Promise<T>, ok: (t: T) => boolean) => untilOk(what, ask, ok, 30_000);

const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `axi router` on a free port, its idle check every 300 ms. */
const startRouter = (env: NodeJS.ProcessEnv) =>
  startRouterCli({ ...env, AXI_RECHECK_MS: '300', AXI_WAKE_TIMEOUT: '60s' }, (d) => {
    if (process.env.AXI_IDLE_DEBUG) appendFileSync('/tmp/h26/router.log', d);
  });

/** Container starts of a Compose project between two times (Unix seconds), by container name. */
function startsSince(project: string, since: number): string[] {
  const out = execFileSync('docker', [
    'events',
    '--since',
    String(since),
    '--until',
    String(Math.ceil(Date.now() / 1000)),
    '--filter',
    'type=container',
    '--filter',
    'event=start',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Actor.Attributes.name}}',
  ]).toString();
  return out.split('\n').filter(Boolean).sort();
}

describe('idle sleep and wake through the router (real engine, real Chromium)', () => {
  const sb = sandbox();
  // Our own Compose names: a main checkout's project is the prefix, which someone's trial may be using.
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axidle${RUN}` };
  const { main, worktree } = makeSleepy(path.join(sb.dir, 'work'));
  let router: { child: ChildProcess; port: number };
  let browser: Browser;
  let project = '';
  let db = 0;
  let web = 0;
  const host = 'feature-x.sleepy.localhost';
  const statusOf = async (dir: string) => {
    const l = await runAxiJson(['list'], { env });
    return (l.json as { folder: string; status: string }[]).find((i) => i.folder === dir)?.status;
  };
  const asleep = () =>
    until(
      'asleep',
      () => statusOf(worktree),
      (s) => s === 'asleep',
    );
  /** Each test starts from the state it needs, whatever ran before it. */
  const awake = async () => {
    const up = await runAxi(['up', worktree, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    await until(
      'postgres',
      () => psql(db, 'select 1'),
      (r) => r === '1',
    );
  };

  before(async () => {
    execFileSync('docker', ['tag', 'nginx:alpine', WEB_IMAGE]);
    for (const dir of [main, worktree]) {
      const s = await runAxiJson(['setup', dir], { env });
      assert.equal(s.code, 0, s.stderr);
      if (dir === worktree) [db, web] = [s.json.ports.db as number, s.json.ports.web as number];
      const up = await runAxi(['up', dir], { env });
      assert.equal(up.code, 0, up.stderr);
    }
    const listed = (await runAxiJson(['list'], { env })).json as { folder: string; project: string }[];
    project = listed.find((i) => i.folder === worktree)!.project;
    await until(
      'postgres',
      () => psql(db, 'select 1'),
      (r) => r === '1',
    );
    await psql(db, 'create table notes(body text); insert into notes values ($$kept$$)');
    router = await startRouter(env);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stopChild(router?.child);
    for (const dir of [worktree, main]) await runAxi(['remove', dir, '--down'], { env });
    // What a failed step may have left, data volumes too: by the sandbox's label.
    await removeOwned(env);
    execFileSync('docker', ['rmi', '-f', WEB_IMAGE], { stdio: 'ignore' });
    sb.cleanup();
  });

  test('idle past its time: asleep (its own state), volumes and data kept; the main checkout stays up', async () => {
    await asleep();
    assert.equal(await statusOf(main), 'running', 'idle: 3s is for worktrees only');
    const text = await runAxi(['list'], { env });
    assert.match(text.stdout, /feature_x\s+asleep · \d+ s/);
    const st = await runAxiJson(['status', worktree], { env });
    assert.equal(st.json.status, 'asleep');
  });

  test('20 concurrent requests to a sleeping instance: one start, 20 answers from it', async () => {
    await asleep();
    const since = Math.floor(Date.now() / 1000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(router.port, host)));
    assert.deepEqual(
      answers.map((a) => `${a.status} ${a.body.trim()}`),
      Array.from({ length: 20 }, () => '200 feature-x site'),
    );
    await sleepMs(1000);
    assert.deepEqual(startsSince(project, since), [`${project}_db_1`, `${project}_web_1`].sort(), 'one start each');
    assert.equal(await psql(db, 'select body from notes'), 'kept', 'the row survived the sleep');
  });

  test('an open psql session keeps it awake, and so does a pin', async () => {
    await awake();
    const session = spawn('psql', ['-h', '127.0.0.1', '-p', String(db), '-U', 'postgres', '-d', 'aegisx_db'], {
      env: { ...process.env, PGPASSWORD: 'postgres' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    try {
      // Connected (it answered), then left at its prompt.
      await new Promise<void>((resolve, reject) => {
        let out = '';
        session.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('connected') && resolve());
        session.once('exit', () => reject(new Error(`psql ended: ${out}`)));
        session.stdin.write("select 'connected';\n");
      });
      await sleepMs((IDLE_S + 3) * 1000);
      assert.equal(await statusOf(worktree), 'running', 'a connection to its published port is use');
    } finally {
      await stopChild(session); // a failed assertion must not leave it holding the test process open
    }
    const pin = await runAxi(['pin', worktree], { env });
    assert.equal(pin.code, 0, pin.stderr);
    await sleepMs((IDLE_S + 3) * 1000);
    assert.equal(await statusOf(worktree), 'running', 'pinned');
    assert.equal((await runAxi(['unpin', worktree], { env })).code, 0);
    await asleep();
  });

  test('a navigation shows the waking page, then the app; the tab left open does not keep it awake', async () => {
    await asleep();
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`http://${host}:${router.port}/`);
      assert.match(await page.title(), /waking feature_x/);
      await page.waitForFunction("document.body.innerText.includes('feature-x site')", undefined, { timeout: 30_000 });
      // The browser keeps its connections; nobody uses the page: asleep after its idle time all the same.
      await asleep();
    } finally {
      await context.close();
    }
  });

  test('a keep-alive connection straight to its web port, quiet for the idle time, does not keep it awake', async () => {
    await awake();
    const socket = net.connect(web, '127.0.0.1');
    try {
      const first = await new Promise<string>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('data', (d) => resolve(d.toString()));
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
      });
      assert.match(first, /^HTTP\/1\.1 200/);
      await asleep();
    } finally {
      socket.destroy();
    }
  });

  test('MCP: status says asleep; env says so, and with wake: true starts it first', async () => {
    await asleep();
    const mcp = mcpClients(env);
    const client = await mcp.connect(worktree);
    const call = async (name: string, args: Record<string, unknown> = {}) => (await callTool(client, name, args)).json;
    try {
      assert.equal((await call('status')).status, 'asleep');
      assert.match(String((await call('env')).asleep), /asleep \(idle sleep\); wake: true/);
      assert.equal(await statusOf(worktree), 'asleep', 'env without wake leaves it asleep');
      const woken = await call('env', { wake: true });
      assert.equal(woken.woken, true);
      assert.equal(await statusOf(worktree), 'running');
      assert.equal(await psql(db, 'select body from notes'), 'kept');
    } finally {
      await mcp.close();
    }
  });

  test('a wake that fails (its image removed): a 504 naming the step', async () => {
    await asleep();
    execFileSync('docker', ['rm', '-f', `${project}_web_1`], { stdio: 'ignore' });
    execFileSync('docker', ['rmi', '-f', WEB_IMAGE], { stdio: 'ignore' });
    const r = await get(router.port, host);
    assert.equal(r.status, 504);
    assert.match(r.body, /^waking feature_x failed while .+: .*axi-idle-web:test/);
  });
});

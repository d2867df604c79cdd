import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { openDashboard, type Dashboard } from '../app/browserHelpers';
import { RUN } from '../docker/dockerHelpers';
import { AXI_BIN, runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { get, until } from '../router/routerHelpers';
import { connects, startRemoteEngine, type RemoteOrSkip } from './remoteEngine';
import { startRemoteSsh, type RemoteSsh } from './remoteSsh';

/** Says where it runs: only the remote engine's container serves this. */
const MARK = '<h1>served by the web service on the remote engine</h1>';
const COMPOSE = `services:
  web:
    image: nginx:alpine
    entrypoint: ["sh", "-c", "mkdir -p /w && echo '${MARK}' > /w/index.html && exec busybox httpd -f -p 80 -h /w"]
    stop_signal: SIGKILL
    ports:
      - "18475:80"
`;

/** `axi tunnel NAME` in the foreground, as the router's page says; resolves once it says the tunnel is open. */
function tunnelCli(name: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [AXI_BIN, 'tunnel', name], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/is open[^]*web\s+127\.0\.0\.1:\d+/.test(out)) resolve(child);
    });
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`axi tunnel exited ${code}: ${out}`)));
  });
}

/**
 * A remote instance's name (issue 25, point 5): the router on this machine reaches an instance on an ssh://
 * engine (the namespace's sshd and dockerd at 10.231.0.2) through its SSH tunnel while that is open, and
 * otherwise answers with a page that says how to open it, never another instance.
 */
describe("a remote instance's name through its SSH tunnel (real sshd, real remote engine, axi serve)", () => {
  const sb = sandbox();
  let env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axirtr', AXI_OWNER: 'alice', AXI_TUNNEL_RECHECK_MS: '500' };
  const name = `shopr${RUN}`;
  const dir = sb.folder(name);
  writeFileSync(`${dir}/docker-compose.yml`, COMPOSE);
  writeFileSync(`${dir}/.aegisx-instances.yml`, 'from: docker-compose.yml\n');
  let remote: RemoteOrSkip = { skip: 'not started' };
  let ssh: RemoteSsh | undefined;
  let skip = 'not started';
  let dash: Dashboard | undefined;
  let routerPort = 0;
  let port = 0;
  let host = '';
  const children: ChildProcess[] = [];
  const ask = () => get(routerPort, `${host}:${routerPort}`);

  before(async () => {
    remote = await startRemoteEngine(['nginx:alpine']);
    if (!remote.engine) return void (skip = remote.skip);
    const s = await startRemoteSsh();
    if (!s.ssh) return void (skip = s.skip);
    ssh = s.ssh;
    env = ssh.env(env);
    const r = await runAxiJson(['setup', dir, '--engine', ssh.host], { env });
    assert.equal(r.code, 0, r.stderr);
    port = r.json.ports.web as number;
    // Kept closed at first: the router's page comes first.
    assert.equal((await runAxi(['tunnel', name, '--keep', 'off'], { env })).code, 0);
    const up = await runAxi(['up', name], { env });
    assert.equal(up.code, 0, up.stderr);
    dash = await openDashboard(env);
    const status = await runAxiJson(['router', 'status'], { env });
    assert.ok(status.json.running, `axi serve runs the router: ${status.stdout}`);
    routerPort = status.json.running.port as number;
    const urls = await runAxiJson(['urls', name], { env });
    host = new URL(urls.json.names.APP_URL as string).hostname;
  });

  after(async () => {
    for (const c of children) await stopChild(c);
    await dash?.close();
    if (ssh) await runAxi(['remove', name, '--down'], { env });
    await remote.engine?.stop();
    sb.cleanup();
  });

  test('tunnel closed: the name gets a page saying how to open it; nothing answers on the port here', async (t) => {
    if (!ssh) return t.skip(skip);
    assert.equal(host, `${name}.localhost`);
    assert.equal(await connects('127.0.0.1', port), false, 'its port is only on the remote host');
    const r = await until('the tunnel page', ask, (x) => x.status === 502);
    assert.match(r.body, new RegExp(`${name} runs on .*: its tunnel is not open`));
    assert.match(r.body, new RegExp(`<code>axi tunnel ${name}</code>`));
    assert.ok(!r.body.includes(MARK));
  });

  test("the kept tunnel open (its card's switch): the card's name link lands on the remote web service", async (t) => {
    if (!ssh) return t.skip(skip);
    const card = dash!.page.getByRole('article', { name: `instance ${name}` });
    await card.getByTestId('tunnel').getByRole('switch', { name: 'Tunnel to this machine' }).click();
    const r = await until('the remote page by name', ask, (x) => x.status === 200, 30_000);
    assert.ok(r.body.includes(MARK), r.body);
    const link = card.getByRole('link', { name: `${host}:${routerPort}`, exact: true });
    const [tab] = await Promise.all([dash!.page.waitForEvent('popup'), link.click()]);
    await tab.waitForLoadState('domcontentloaded');
    assert.ok((await tab.content()).includes(MARK));
    await tab.close();
  });

  test('the kept tunnel turned off: the page again, never a stale or other answer', async (t) => {
    if (!ssh) return t.skip(skip);
    assert.equal((await runAxi(['tunnel', name, '--keep', 'off'], { env })).code, 0);
    const r = await until('the tunnel page again', ask, (x) => x.status === 502, 30_000);
    assert.match(r.body, /its tunnel is not open/);
    await until(
      'the kept tunnel closed',
      () => connects('127.0.0.1', port),
      (c) => c === false,
    );
  });

  test("the page's advice works: axi tunnel NAME in a terminal, then a reload reaches it", async (t) => {
    if (!ssh) return t.skip(skip);
    const tunnel = await tunnelCli(name, env);
    children.push(tunnel);
    const r = await until('the remote page through axi tunnel', ask, (x) => x.status === 200, 30_000);
    assert.ok(r.body.includes(MARK), r.body);
    await stopChild(tunnel);
    const closed = await until('the page once it closed', ask, (x) => x.status === 502, 30_000);
    assert.match(closed.body, /its tunnel is not open/);
  });
});

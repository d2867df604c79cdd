import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AXI_BIN, runAxi, runAxiJson, sandbox } from '../helpers';
import { readFileSync } from 'node:fs';
import { exec, psql } from '../docker/dockerHelpers';
import { openDashboard, startServe } from '../app/browserHelpers';
import { connects, REMOTE_HOST, spreadSuffixes, startRemoteEngine, type RemoteOrSkip } from './remoteEngine';
import { startRemoteSsh, type RemoteSsh } from './remoteSsh';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];

/** `axi tunnel NAME` running in the background; resolves once it says the tunnel is open (or it exits). */
function startTunnel(name: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn(process.execPath, [AXI_BIN, 'tunnel', name], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/is open[^]*postgres\s+127\.0\.0\.1:\d+/.test(out)) resolve({ child, out }); // and its table
    });
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`axi tunnel exited ${code}: ${out}`)));
  });
}

/** Polls `fn` (errors count as not yet) until it gives something truthy, for up to 30 s. */
async function until<T>(fn: () => Promise<T>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 250))) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
  }
}

/** The pid of the process listening on 127.0.0.1:PORT (`ss -ltnp`). */
async function listenerPid(port: number): Promise<number> {
  const r = await exec('ss', ['-ltnpH', `sport = :${port}`]);
  const pid = Number(/pid=(\d+)/.exec(r.stdout)?.[1]);
  if (!pid) throw new Error(`nothing listens on ${port}: ${r.stdout}${r.stderr}`);
  return pid;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

/** An instance on an ssh:// engine (the namespace's sshd), and `axi tunnel` bringing its ports here. */
describe('instances over SSH and axi tunnel', () => {
  const sb = sandbox();
  let env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitun', AXI_OWNER: 'alice' };
  const [sshS, tcpS, localS] = spreadSuffixes(3, 't') as [string, string, string];
  const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
  let remote: RemoteOrSkip = { skip: 'not started' };
  let ssh: RemoteSsh | undefined;
  let skip = 'not started';
  const tunnels: ChildProcess[] = [];
  let ports: Record<string, number> = {};

  before(async () => {
    remote = await startRemoteEngine(IMAGES);
    if (!remote.engine) return void (skip = remote.skip);
    const s = await startRemoteSsh();
    if (!s.ssh) return void (skip = s.skip);
    ssh = s.ssh;
    env = ssh.env(env); // its `ssh` uses the throwaway key: for Compose, axi's engine connection and the tunnel
  });

  after(async () => {
    for (const t of tunnels) t.kill();
    if (ssh) await runAxiJson(['down', sshS, '--volumes', '--yes'], { env });
    await remote.engine?.stop();
    sb.cleanup();
  });

  test('setup and up on ssh://root@10.231.0.2: healthy, on that engine only', async (t) => {
    if (!ssh) return t.skip(skip);
    const r = await runAxiJson(['setup', dir(sshS), '--engine', ssh.host], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.engine, ssh.host);
    ports = r.json.ports;
    const up = await runAxiJson(['up', sshS, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.json.services.postgres.health, 'healthy');
    assert.equal(up.json.services.redis.health, 'healthy');
    const ps = await remote.engine!.docker(['ps', '--format', '{{.Names}}']);
    assert.match(ps.stdout, new RegExp(`^axitun_alice_${sshS}_postgres$`, 'm'));
  });

  test('axi tunnel makes the remote Postgres answer psql on 127.0.0.1:PORT; SIGTERM closes it', async (t) => {
    if (!ssh) return t.skip(skip);
    const port = ports.postgres!;
    assert.equal(await connects('127.0.0.1', port), false, 'nothing answers here before the tunnel');
    const { child, out } = await startTunnel(sshS, env);
    tunnels.push(child);
    assert.match(out, new RegExp(`postgres\\s+127\\.0\\.0\\.1:${port}`));
    assert.equal(await psql(port, 'SELECT 1'), '1');
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    assert.equal(await connects('127.0.0.1', port), false, 'the forward is gone with the tunnel');
  });

  test('a local port already taken is a conflict naming it and its holder, and nothing is shifted', async (t) => {
    if (!ssh) return t.skip(skip);
    const port = ports.redis!;
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    try {
      const r = await runAxi(['tunnel', sshS], { env });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`local port ${port} \\(redis\\).*in use by .*\\(pid ${process.pid}\\)`));
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  test('axi serve keeps the tunnel open, restarts a dropped one, and follows the toggle', async (t) => {
    if (!ssh) return t.skip(skip);
    const port = ports.postgres!;
    const serve = await startServe({ ...env, AXI_TUNNEL_RECHECK_MS: '500' });
    tunnels.push(serve.child);
    try {
      assert.equal(await until(() => psql(port, 'SELECT 1')), '1', 'kept open by axi serve');
      // A dropped connection: its ssh dies; the keeper opens a new one (first retry after 1 s).
      const holder = await listenerPid(port);
      assert.equal(readFileSync(`/proc/${holder}/comm`, 'utf8').trim(), 'ssh');
      process.kill(holder, 'SIGKILL');
      assert.equal(await until(async () => (await listenerPid(port)) !== holder && psql(port, 'SELECT 2')), '2');
      // The per-instance toggle: off closes it, on opens it again.
      assert.equal((await runAxi(['tunnel', sshS, '--keep', 'off'], { env })).code, 0);
      assert.equal(await until(async () => !(await connects('127.0.0.1', port))), true);
      assert.equal((await runAxi(['tunnel', sshS, '--keep', 'on'], { env })).code, 0);
      assert.equal(await until(() => psql(port, 'SELECT 3')), '3');
    } finally {
      serve.child.kill('SIGTERM');
      await exitOf(serve.child);
    }
    assert.equal(await connects('127.0.0.1', port), false, 'serve closed its tunnel on the way out');
  });

  test("the card's switch: the window shows the tunnel open with its ports; off closes it, on opens it", async (t) => {
    if (!ssh) return t.skip(skip);
    const port = ports.postgres!;
    const dash = await openDashboard({ ...env, AXI_TUNNEL_RECHECK_MS: '500' });
    try {
      const card = dash.page.getByRole('article', { name: `instance ${sshS}` });
      const line = card.getByTestId('tunnel');
      await line
        .filter({ hasText: new RegExp(`open: .*127\\.0\\.0\\.1:${port}\\b`) })
        .waitFor({ timeout: 30_000 })
        .catch(async (err: Error) => {
          const ps = await exec('sh', ['-c', 'ps -ef | grep "[s]sh "; ss -ltnp']);
          throw new Error(`${err.message}\nthe card says: ${await card.innerText()}\n${ps.stdout}`);
        });
      assert.equal(await until(() => psql(port, 'SELECT 1')), '1');
      const toggle = line.getByRole('switch', { name: 'Tunnel to this machine' });
      assert.equal(await toggle.isChecked(), true, 'on by default on an SSH engine');
      await toggle.click();
      await line.filter({ hasText: 'off: its ports answer only on the engine host' }).waitFor();
      assert.equal(await until(async () => !(await connects('127.0.0.1', port))), true, 'closed');
      // The same toggle as `axi tunnel NAME --keep`: kept beside the registry.
      const toggles = JSON.parse(readFileSync(`${env.AXI_HOME}/tunnels.json`, 'utf8')) as Record<string, boolean>;
      assert.deepEqual(Object.values(toggles), [false]);
      await toggle.click();
      await line.filter({ hasText: new RegExp(`open: .*127\\.0\\.0\\.1:${port}\\b`) }).waitFor({ timeout: 30_000 });
      assert.equal(await until(() => psql(port, 'SELECT 2')), '2');
    } finally {
      await dash.close();
    }
  });

  test('a tcp:// engine has no SSH: tunnel says so and prints the engine host’s URLs', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const r = await runAxiJson(['setup', dir(tcpS), '--engine', REMOTE_HOST], { env });
    assert.equal(r.code, 0, r.stderr);
    const tun = await runAxi(['tunnel', tcpS], { env });
    assert.equal(tun.code, 0, tun.stderr);
    assert.match(tun.stdout, /has no SSH: nothing to tunnel/);
    assert.match(tun.stdout, new RegExp(`postgresql://\\S+@10\\.231\\.0\\.2:${r.json.ports.postgres}/`));
    assert.doesNotMatch(tun.stdout, /localhost/);
  });

  test('a local instance has nothing to tunnel: a one-line error, exit 2', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const r = await runAxiJson(['setup', dir(localS)], { env });
    assert.equal(r.code, 0, r.stderr);
    const tun = await runAxi(['tunnel', localS], { env });
    assert.equal(tun.code, 2, tun.stdout + tun.stderr);
    assert.equal(tun.stderr.trim().split('\n').length, 1, `one line: ${tun.stderr}`);
    assert.match(tun.stderr, new RegExp(`${localS} is on the local engine`));
  });
});

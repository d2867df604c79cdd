import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenTunnel } from '../../main/docker/remote/sshTunnel';
import type { TunnelPlan } from '../../main/docker/remote/tunnel';
import { TunnelKeeper } from '../../main/docker/remote/tunnelKeeper';

type SshPlan = Extract<TunnelPlan, { kind: 'ssh' }>;
const plan = (name: string, port: number): SshPlan => ({
  kind: 'ssh',
  name,
  endpoint: 'ssh://me@devbox',
  target: { host: 'devbox', user: 'me' },
  remoteHost: '127.0.0.1',
  forwards: [{ service: 'postgres', port }],
});

/** A fake ssh: `drop` ends it as a lost connection would; `close` as the keeper does. */
function fakeTunnel() {
  let end!: (e: { closed: boolean; reason: string }) => void;
  const ended = new Promise<{ closed: boolean; reason: string }>((r) => (end = r));
  let closed = false;
  const t: OpenTunnel & { drop(): void; isClosed(): boolean } = {
    child: {} as OpenTunnel['child'],
    ended,
    close: () => ((closed = true), end({ closed: true, reason: 'closed' }), ended.then(() => undefined)),
    drop: () => end({ closed: false, reason: 'Connection reset by peer' }),
    isClosed: () => closed,
  };
  return t;
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

test('opens one tunnel per wanted instance and closes the ones no longer wanted', async () => {
  let wanted = [plan('a', 5433), plan('b', 5434)];
  const opened: ReturnType<typeof fakeTunnel>[] = [];
  const names: string[] = [];
  const k = new TunnelKeeper({
    wanted: () => Promise.resolve(wanted),
    open: (p) => {
      names.push(p.name);
      const t = fakeTunnel();
      opened.push(t);
      return Promise.resolve(t);
    },
    intervalMs: 60_000,
  });
  await k.reconcile();
  await tick();
  assert.deepEqual(names, ['a', 'b']);
  assert.deepEqual(
    k.tunnels().map((t) => [t.name, t.state]),
    [
      ['a', 'open'],
      ['b', 'open'],
    ],
  );
  wanted = [plan('b', 5434)]; // a stopped, or its toggle turned off
  await k.reconcile();
  assert.equal(opened[0]!.isClosed(), true);
  assert.equal(opened[1]!.isClosed(), false);
  wanted = [plan('b', 5440)]; // b reassigned: a new tunnel on the new port
  await k.reconcile();
  await tick();
  assert.equal(opened[1]!.isClosed(), true);
  assert.deepEqual(k.tunnels()[0]!.ports, [5440]);
  await k.stop();
  assert.equal(opened[2]!.isClosed(), true);
});

test('a dropped tunnel or a failed open is retried with doubling backoff', async () => {
  const times: number[] = [];
  let failNext = 0;
  const opened: ReturnType<typeof fakeTunnel>[] = [];
  const k = new TunnelKeeper({
    wanted: () => Promise.resolve([plan('a', 5433)]),
    open: () => {
      times.push(Date.now());
      if (failNext-- > 0) return Promise.reject(new Error('local port 5433 (postgres) is in use by nc (pid 9)'));
      const t = fakeTunnel();
      opened.push(t);
      return Promise.resolve(t);
    },
    intervalMs: 60_000,
    firstBackoffMs: 40,
    maxBackoffMs: 1000,
  });
  await k.reconcile();
  await tick();
  assert.equal(k.tunnels()[0]!.state, 'open');
  failNext = 2;
  opened[0]!.drop(); // lost: retried after 40 ms (fails), 80 ms (fails), 160 ms (opens)
  await tick();
  assert.equal(k.tunnels()[0]!.state, 'retrying');
  assert.equal(k.tunnels()[0]!.error, 'Connection reset by peer');
  for (let i = 0; i < 100 && opened.length < 2; i++) await tick(20);
  assert.equal(opened.length, 2);
  assert.equal(k.tunnels()[0]!.state, 'open');
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  assert.equal(gaps.length, 3);
  assert.ok(gaps[1]! >= 75 && gaps[2]! >= 150, `backoff doubles: ${gaps.join(', ')}`);
  await k.stop();
});

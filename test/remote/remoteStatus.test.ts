import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import { type AppController } from '../../main/api/controller/controllerTypes';
import type { InstanceView, NotificationView, Overview } from '../../main/shared/api/table';
import { engineLabel } from '../../main/shared/display/engine';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { EngineStatusModels } from '../../main/docker/engine/engineStatus';
import { openDashboard, type Dashboard } from '../app/browserHelpers';
import { runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { composeDown } from '../docker/dockerHelpers';
import {
  REMOTE_HOST,
  restartRemoteDockerd,
  spreadSuffixes,
  startRemoteEngine,
  stopRemoteDockerd,
  type RemoteOrSkip,
} from './remoteEngine';
import { REMOTE_SSH, startRemoteSsh } from './remoteSsh';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];
const LABEL = engineLabel(REMOTE_HOST); // 10.231.0.2:2375
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The status model follows every engine with instances (issue 11): the namespace engine is stopped and
 * started again while an instance runs on it and one locally; only the remote one goes `unknown`.
 */
describe('live status per engine: a lost remote engine affects only its instances', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axirst', AXI_OWNER: 'alice' };
  const [localS, remoteS] = spreadSuffixes(2, 's') as [string, string];
  const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
  let remote: RemoteOrSkip = { skip: 'not started' };
  let controller: AppController | undefined;
  let dash: Dashboard | undefined;
  const notes: NotificationView[] = [];
  /** Every overview sampled while waiting: the local instance must be `running` in each. */
  const localStates: string[] = [];

  const ownerBefore = process.env.AXI_OWNER;
  before(async () => {
    // The controller below runs in this process: it is alice too, as the app and the CLI of one user are.
    process.env.AXI_OWNER = env.AXI_OWNER;
    remote = await startRemoteEngine(IMAGES);
  });

  after(async () => {
    if (ownerBefore === undefined) delete process.env.AXI_OWNER;
    else process.env.AXI_OWNER = ownerBefore;
    controller?.stop();
    await dash?.close();
    await composeDown(`axirst_${localS}`, path.join(dir(localS), 'docker-compose.instance.yml'));
    if (remote.engine) {
      await restartRemoteDockerd(); // whatever happened above, the engine is left answering for the next suite
      await runAxiJson(['down', remoteS, '--volumes', '--yes'], { env });
    }
    sb.cleanup();
  });

  const byName = (o: Overview, name: string): InstanceView => o.instances.find((i) => i.name === name)!;

  /** Polls the controller's overview until `pred` holds, recording the local instance's state each time. */
  async function until(what: string, pred: (o: Overview) => boolean, ms = 60_000): Promise<Overview> {
    for (const end = Date.now() + ms; ; await sleep(250)) {
      const o = await controller!.current();
      localStates.push(byName(o, localS).status);
      if (pred(o)) return o;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(o.engines)}`);
    }
  }

  /** Waits until a card's state pill shows `word` (Running, Unknown, …). */
  const stateShown = (name: string, word: string) =>
    dash!.page
      .locator(`[aria-label="instance ${name}"] [data-testid=status][data-state="${word}"]`)
      .waitFor({ timeout: 15_000 });
  const cardState = (name: string) =>
    dash!.page.locator(`[aria-label="instance ${name}"] [data-testid=status]`).getAttribute('data-state');

  test('both running, each card on its own engine; the remote engine stopped, then started', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    assert.equal((await runAxiJson(['setup', dir(localS)], { env })).code, 0);
    assert.equal((await runAxiJson(['setup', dir(remoteS), '--engine', REMOTE_HOST], { env })).code, 0);
    for (const name of [localS, remoteS]) {
      const up = await runAxiJson(['up', name, '--wait'], { env });
      assert.equal(up.code, 0, up.stderr);
    }
    const backend = createBackend({ paths: sandboxPaths(env), env });
    controller = setupController({ backend, followWorktrees: false, keepTunnels: false });
    controller.on('notification', (n) => void notes.push(n));
    await controller.start();

    let o = await until('both running', (x) => byName(x, remoteS).status === 'running');
    assert.deepEqual(o.engines, [{ id: REMOTE_HOST, label: LABEL, state: 'connected' }]);
    assert.equal(byName(o, remoteS).engineState, 'connected');

    // The window: the remote card names its engine and shows its real state.
    dash = await openDashboard(env);
    const remoteCard = dash.page.locator(`[aria-label="instance ${remoteS}"]`);
    await remoteCard.locator('.engine-of', { hasText: LABEL }).waitFor({ timeout: 15_000 });
    await stateShown(remoteS, 'Running');

    const beforeOutage = localStates.length;
    await stopRemoteDockerd();
    o = await until('the remote instance unknown', (x) => byName(x, remoteS).status === 'unknown');
    assert.deepEqual(o.engines, [{ id: REMOTE_HOST, label: LABEL, state: 'unknown' }]);
    assert.equal(o.engine, 'connected', 'the local engine is not affected');
    for (let i = 0; i < 8; i++) await until('a sample', () => true).then(() => sleep(250));
    const lost = notes.find((n) => n.kind === 'engine-lost');
    assert.ok(lost, JSON.stringify(notes));
    assert.match(lost.title, new RegExp(LABEL.replace(/\./g, '\\.')));
    const banner = dash.page.locator(`[aria-label="engine ${LABEL} unreachable"]`);
    await banner.waitFor({ timeout: 15_000 });
    assert.match(await banner.innerText(), /Only the instance on it is unknown/);
    await stateShown(remoteS, 'Unknown');
    assert.equal(await cardState(localS), 'Running');

    // Back: its containers stopped with their engine (no live-restore), so it comes back `stopped`, then is started.
    await restartRemoteDockerd();
    o = await until(
      'the remote engine back',
      (x) => x.engines[0]?.state === 'connected' && byName(x, remoteS).status !== 'unknown',
    );
    assert.equal(byName(o, remoteS).status, 'stopped', 'its real state, read from its engine again');
    assert.ok(
      notes.some((n) => n.kind === 'engine-back' && n.title.includes(LABEL)),
      JSON.stringify(notes),
    );
    const started = await controller.invoke('startInstance', [remoteS]);
    assert.equal(started.ok, true, JSON.stringify(started));
    await until('the remote instance running again', (x) => byName(x, remoteS).status === 'running', 120_000);

    // Read at every wait of this test, and 8 times more while the remote engine was down: the local card was looked at
    // throughout the outage (how many waits the rest took depends on the machine's speed, so that count is no measure).
    assert.ok(
      localStates.length - beforeOutage >= 8,
      `${localStates.length - beforeOutage} samples from the outage on`,
    );
    assert.deepEqual([...new Set(localStates)], ['running'], 'the local instance stayed running throughout');
  });

  test('an SSH engine is followed the same way: its event stream goes through ssh', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const s = await startRemoteSsh();
    if (!s.ssh) return t.skip(s.skip);
    const sshEnv = { ...s.ssh.env(env), DOCKER_HOST: '', DOCKER_CONTEXT: '' };
    const backend = createBackend({ paths: sandboxPaths(env), env: sshEnv });
    const models = new EngineStatusModels({ local: backend.statusModel(), remote: (e) => backend.statusModel(e) });
    models.follow([REMOTE_SSH]);
    try {
      await models.start();
      for (let i = 0; i < 80 && models.stateOf(REMOTE_SSH) !== 'connected'; i++) await sleep(250);
      assert.deepEqual(models.engines(), [{ id: REMOTE_SSH, label: engineLabel(REMOTE_SSH), state: 'connected' }]);
      const containers = models.project(`axirst_alice_${remoteS}`, REMOTE_SSH) ?? [];
      assert.deepEqual(
        containers.map((c) => [c.service, c.state]).sort(),
        [
          ['pgadmin', 'running'],
          ['postgres', 'running'],
          ['redis', 'running'],
        ],
        'the running instance, seen through ssh',
      );
    } finally {
      models.stop();
    }
  });
});

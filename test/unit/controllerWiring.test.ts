import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
// The module object itself (not a namespace copy): the test counts the registry's reads through it.
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import type { ControllerOptions } from '../../main/api/controller/controllerTypes';
import { instanceStatus } from '../../main/docker/status/status';
import type { NotificationView, Overview, StackPreviewView } from '../../main/shared/api/table';
import { stackQuestion } from '../../main/electron/stackQuestion';
import { busyPorts, hostPortProbe, type HostPortProbe } from '../../main/core/ports/hostPorts';
import { createBackend } from '../../main/docker/lifecycle/backend';
import type { ContainerStatus } from '../../main/docker/status/status';
import { sandbox, until } from '../helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Until `count()` has stood still for `quietMs`: whatever a registration set off (re-checks, the file watcher's
 * debounce, the publisher) has run, however loaded the machine. A fixed sleep was too short at a load of 17.
 */
async function quiet(count: () => number, quietMs = 600): Promise<void> {
  let last = count();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    await sleep(50);
    if (count() !== last) [last, since] = [count(), Date.now()];
  }
}

/**
 * A controller over a sandbox, with a Docker host that does not answer; its notifications and overviews
 * collected. Stopped, and the sandbox removed, after the suite.
 */
function controllerWithoutEngine(opts: Omit<ControllerOptions, 'backend'> = {}, probe?: HostPortProbe) {
  const sb = sandbox();
  const backend = createBackend({
    paths: sb.service().paths,
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
    pingTimeoutMs: 200,
    ...(probe ? { probe } : {}),
  });
  const controller = setupController({ backend, ...opts });
  const notes: NotificationView[] = [];
  const overviews: Overview[] = [];
  controller.on('notification', (n) => notes.push(n));
  controller.on('overview', (o) => overviews.push(o));
  after(() => {
    controller.stop();
    sb.cleanup();
  });
  return { sb, backend, controller, notes, overviews };
}

describe('the controller wired (no Docker engine)', () => {
  const { sb, backend, controller, notes, overviews } = controllerWithoutEngine();

  test("the tray's Add repository goes through the tracker: a refused folder is a notification, a good one registers", async () => {
    const file = path.join(sb.dir, 'a-file');
    writeFileSync(file, 'x');
    const reply = await controller.invoke('registerFolder', [{ dir: file }]);
    assert.deepEqual(reply, { ok: false, error: { code: 'BAD_INPUT', message: `not a folder: ${file}` } });
    assert.deepEqual(notes, [], "the window's own call shows its refusal in place");
    const good = sb.folder('aegisx-starter-tray');
    await controller.addFolders([file, good]);
    assert.deepEqual(notes, [
      { kind: 'failed', title: `Could not register ${file}`, body: `not a folder: ${file}`, instance: null },
    ]);
    await sleep(50);
    assert.deepEqual(
      (await controller.current()).instances.map((i) => i.id),
      ['aegisx/tray'],
    );
  });

  test('a broken registry shows as refreshError on the overview, and clears once it reads again', async () => {
    const registry = backend.service.paths.registryFile;
    const good = (await import('node:fs')).readFileSync(registry, 'utf8');
    writeFileSync(registry, '{ not json');
    assert.equal(
      (await controller.invoke('checkConflicts', [])).ok,
      true,
      'the call answers with the conflicts it knows',
    );
    const broken = await until('an overview after the failed refresh', () => {
      const last = overviews.at(-1);
      return last?.refreshError ? last : undefined;
    });
    assert.match(
      broken.refreshError ?? '',
      /^Refreshing the overview and the port re-check failed: registry .*instances\.json is not valid JSON/,
    );
    assert.deepEqual(
      broken.instances.map((i) => i.id),
      ['aegisx/tray'],
      'the last overview stays shown',
    );
    writeFileSync(registry, good);
    await controller.invoke('checkConflicts', []);
    await until('an overview after the next refresh', () => overviews.at(-1)?.refreshError === null);
    assert.equal(overviews.at(-1)!.refreshError, null);
  });

  test('calls reach their handlers with checked arguments', async () => {
    assert.deepEqual(await controller.invoke('stopLogs', ['nope']), { ok: true, value: { stopped: false } });
    assert.deepEqual(await controller.invoke('pickFolders', []), {
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: 'the folder picker is only available in the desktop app; type the path or drop the folder',
      },
    });
  });
});

describe('instance status: one pure derivation from the registration and its containers', () => {
  const rec = { name: 'auth', project: 'aegisx_auth', services: ['postgres', 'web'] };
  const c = (service: string, state: string, health: ContainerStatus['health'] = 'none'): ContainerStatus => ({
    id: service,
    name: `aegisx_auth_${service}_1`,
    project: 'aegisx_auth',
    service,
    state,
    health,
    image: 'x',
    created: 0,
    published: [],
    portMap: [],
    labels: {},
  });

  test('unknown while the engine is, not-created without containers, running only when every expected service runs', () => {
    assert.deepEqual(instanceStatus(rec, undefined), {
      name: 'auth',
      status: 'unknown',
      services: { postgres: { state: 'unknown', health: 'none' }, web: { state: 'unknown', health: 'none' } },
    });
    assert.equal(instanceStatus(rec, []).status, 'not-created');
    assert.equal(
      instanceStatus(rec, [c('postgres', 'running', 'healthy')]).status,
      'partial',
      'web has no container yet',
    );
    assert.equal(instanceStatus(rec, [c('postgres', 'running', 'healthy'), c('web', 'running')]).status, 'running');
    assert.equal(instanceStatus(rec, [c('postgres', 'exited'), c('web', 'exited')]).status, 'stopped');
    assert.deepEqual(instanceStatus(rec, [c('postgres', 'running', 'healthy')]).services.postgres, {
      state: 'running',
      health: 'healthy',
      container: 'aegisx_auth_postgres_1',
    });
  });
});

describe("the tray's Add repository on a folder where both stacks are plausible (no Docker engine)", () => {
  const { sb, controller, notes, overviews } = controllerWithoutEngine({ followWorktrees: false, keepTunnels: false });

  test("the tray's Add repository asks which stack where both are plausible; Cancel registers nothing", async () => {
    const both = sb.folder('shop-both');
    writeFileSync(path.join(both, 'docker-compose.yml'), 'services:\n  web: {image: nginx, ports: ["18741:80"]}\n');
    writeFileSync(path.join(both, '.aegisx-instances.yml'), 'slots: 50\n');
    const asked: StackPreviewView[] = [];
    const ids = async () => (await controller.current()).instances.map((i) => i.id);
    const before = await ids();
    await controller.addFolders([both], async (p) => (asked.push(p), null));
    assert.deepEqual(
      asked.map((p) => [p.pick, p.composeFiles]),
      [['ask', ['docker-compose.yml']]],
    );
    assert.deepEqual(await ids(), before, 'cancelled: nothing registered');
    const q = stackQuestion(asked[0]!);
    assert.deepEqual(q.buttons, ['Its own docker-compose.yml', 'The AegisX stack', 'Cancel']);
    assert.equal(q.answers[q.cancelId], null);
    await controller.addFolders([both], async () => 'compose');
    assert.deepEqual(notes, [], 'no refusal (CHOOSE_STACK) notified');
    await until('registered', () => overviews.at(-1)?.instances.length === before.length + 1 || undefined);
    assert.match(readFileSync(path.join(both, 'docker-compose.instance.yml'), 'utf8'), /web:/);
    assert.doesNotMatch(readFileSync(path.join(both, 'docker-compose.instance.yml'), 'utf8'), /postgres:/);
  });
});

describe('one dropped folder: the registry read once, the ports probed once', () => {
  const readFile = fsPromises.readFile;
  after(() => {
    fsPromises.readFile = readFile; // registered before the helper's hook: restored before the controller stops
  });
  const probed: number[][] = [];
  let singlePortProbes = 0;
  const probe: HostPortProbe = {
    isFree: (p) => (singlePortProbes++, hostPortProbe.isFree(p)),
    busy: (ports) => (probed.push([...ports]), busyPorts(ports)),
    owners: (ports) => hostPortProbe.owners(ports),
  };
  const { sb, backend, controller } = controllerWithoutEngine({ followWorktrees: false, keepTunnels: false }, probe);
  const reads: string[] = [];

  test('with another instance registered and a seed script having appended its line since the last look', async () => {
    await controller.start();
    assert.equal((await controller.invoke('registerFolder', [{ dir: sb.folder('aegisx-starter-first') }])).ok, true);
    await quiet(() => probed.length + singlePortProbes); // the re-checks the first registration set off
    // The seed's own script adds a checkout to ~/.aegisx-port-registry: the app's copy of it is out of date.
    appendFileSync(sb.env.AXI_PORT_REGISTRY!, 'seedonly:3600:4300:5500:5600:6500:6501:2026-11-29T08:00:00Z\n');
    fsPromises.readFile = ((file: Parameters<typeof readFile>[0], ...rest: unknown[]) => {
      const f = typeof file === 'string' ? file : '';
      if (f === backend.service.paths.registryFile || f === sb.env.AXI_PORT_REGISTRY) reads.push(path.basename(f));
      return (readFile as (...a: unknown[]) => unknown)(file, ...rest);
    }) as typeof readFile;
    probed.length = 0;
    singlePortProbes = 0;

    const reply = await controller.invoke('registerFolder', [{ dir: sb.folder('aegisx-starter-second') }]);
    await quiet(() => probed.length + singlePortProbes + reads.length); // what the drop sets off afterwards
    fsPromises.readFile = readFile;

    assert.equal(reply.ok, true);
    const second = (await controller.current()).instances.find((i) => i.name === 'second')!;
    assert.deepEqual(
      reads.sort(),
      ['aegisx-port-registry', 'instances.json'],
      "each of the registry's files read once: afresh under the lock, every other look served from the app's copy",
    );
    const sorted = (ports: number[]) => [...ports].sort((a, b) => a - b);
    assert.deepEqual(
      probed.map(sorted),
      [sorted(Object.values(second.ports))],
      "one probe, of the new instance's own ports (every other port was probed already)",
    );
    assert.equal(singlePortProbes, 0);
    const conflicts = (await controller.invoke('checkConflicts', [])) as { ok: true; value: unknown[] };
    assert.deepEqual(conflicts.value, []);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiEventBus } from '../../main/api/controller/events';
import { failureText, OverviewPublisher, type OverviewData } from '../../main/api/overview/overviewPublisher';
import { PortRecheck } from '../../main/api/controller/rechecks';
import type { ApiEventName, ApiEvents, ConflictView, Overview } from '../../main/shared/api/table';
import { FolderInfoCache } from '../../main/api/overview/views';
import { AxiError } from '../../main/shared/errors';
import { instanceId } from '../../main/core/registry/instanceRef';
import type { RegistryState } from '../../main/core/registry/registry';
import type { Conflict } from '../../main/core/instances/serviceTypes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records every event the bus carries, in order. */
function recorder() {
  const events = new ApiEventBus();
  const seen: { event: ApiEventName; payload: unknown }[] = [];
  events.onAny((event, payload) => seen.push({ event, payload }));
  const of = <E extends ApiEventName>(e: E) => seen.filter((x) => x.event === e).map((x) => x.payload as ApiEvents[E]);
  return { events, seen, of };
}

const data = (conflicts: ConflictView[] = []): OverviewData => ({
  engine: 'connected',
  engines: [],
  instances: [],
  conflicts,
});
const conflict: ConflictView = { port: 4233, kind: 'host', service: 'web', instances: ['auth'] };

describe('overview publisher', () => {
  test('a burst of changes is one build and one publish', async () => {
    const { events, of } = recorder();
    let builds = 0;
    let n = 0;
    const p = new OverviewPublisher({
      events,
      coalesceMs: 10,
      build: async () => (builds++, data(n ? [{ ...conflict, port: n }] : [])),
    });
    for (n = 1; n <= 100; n++) p.schedule();
    await sleep(40);
    assert.equal(builds, 1);
    assert.equal(of('overview').length, 1);
    assert.equal(of('overview')[0]!.conflicts[0]!.port, 101, 'built after the burst, with its last state');
    p.schedule();
    await sleep(40);
    assert.equal(builds, 2, 'a later change is a new build');
    p.stop();
  });

  test('one build at a time, and nothing is published twice', async () => {
    const { events, of } = recorder();
    let running = 0;
    let most = 0;
    const p = new OverviewPublisher({
      events,
      coalesceMs: 1,
      build: async () => {
        most = Math.max(most, ++running);
        await sleep(15);
        running--;
        return data();
      },
    });
    await Promise.all([p.publish(), p.publish(), p.publish()]);
    p.schedule();
    await sleep(5);
    p.schedule();
    await sleep(60);
    assert.equal(most, 1);
    assert.equal(of('overview').length, 1, 'unchanged overviews are not sent again');
    p.stop();
  });

  test('each publish brings the notifications of its difference from the last one sent', async () => {
    const { events, of } = recorder();
    let next = data();
    const p = new OverviewPublisher({ events, build: async () => next });
    await p.publish();
    next = data([conflict]);
    await p.publish();
    await p.publish();
    assert.deepEqual(
      of('notification').map((x) => [x.kind, x.instance]),
      [['conflict', 'auth']],
    );
    assert.deepEqual(await p.current(), { ...next, refreshError: null });
  });

  test('a failed refresh keeps the last overview, marked with the error, until a refresh succeeds', async () => {
    const { events, of } = recorder();
    let fail = false;
    const p = new OverviewPublisher({
      events,
      build: async () =>
        fail ? Promise.reject(new AxiError('REGISTRY_CORRUPT', 'instances.json is not JSON')) : data([conflict]),
    });
    await p.publish();
    fail = true;
    await p.publish();
    await p.publish();
    fail = false;
    await p.publish();
    const sent = of('overview');
    assert.deepEqual(
      sent.map((o) => o.refreshError),
      [null, 'Refreshing the overview failed: instances.json is not JSON', null],
    );
    assert.deepEqual(sent[1]!.conflicts, [conflict], 'what was shown stays');
    assert.equal(of('notification').length, 1, 'the failure itself notifies nothing new');
  });

  test('a failure before any overview is published as an empty one with the error', async () => {
    const { events, of } = recorder();
    const p = new OverviewPublisher({
      events,
      engine: () => 'unknown',
      build: () => Promise.reject(new Error('EACCES: permission denied')),
    });
    await p.publish();
    const expected: Overview = {
      engine: 'unknown',
      engines: [],
      instances: [],
      conflicts: [],
      refreshError: 'Refreshing the overview failed: EACCES: permission denied',
    };
    assert.deepEqual(of('overview'), [expected]);
    assert.deepEqual(await p.current(), expected);
  });

  test('a reported re-check failure shows until the re-check succeeds; stop cancels a pending publish', async () => {
    const { events, of } = recorder();
    const p = new OverviewPublisher({ events, coalesceMs: 1, build: async () => data() });
    await p.publish();
    p.report('re-check', new Error('registry locked'));
    await sleep(20);
    p.report('re-check', null);
    await sleep(20);
    assert.deepEqual(
      of('overview').map((o) => o.refreshError),
      [null, 'The port re-check failed: registry locked', null],
    );
    p.report('re-check', new Error('again'));
    p.stop();
    await sleep(20);
    assert.equal(of('overview').length, 3);
  });
});

describe('failure text', () => {
  test('each failure with its cause; one cause said once', () => {
    assert.equal(failureText(new Map()), null);
    assert.equal(failureText(new Map([['re-check', 'EACCES']])), 'The port re-check failed: EACCES');
    assert.equal(
      failureText(
        new Map([
          ['re-check', 'locked'],
          ['refresh', 'EACCES'],
        ]),
      ),
      'Refreshing the overview failed: EACCES; The port re-check failed: locked',
    );
    assert.equal(
      failureText(
        new Map([
          ['re-check', 'bad JSON'],
          ['refresh', 'bad JSON'],
        ]),
      ),
      'Refreshing the overview and the port re-check failed: bad JSON',
    );
  });
});

describe('port re-check', () => {
  const state = { version: 1, instances: [] } as unknown as RegistryState;

  test('its failure reaches the overview and clears on the next good re-check; changes publish', async () => {
    const { events, of } = recorder();
    let readState: () => Promise<RegistryState> = () =>
      Promise.reject(new AxiError('REGISTRY_CORRUPT', 'instances.json: unexpected end'));
    let conflicts: Conflict[] = [];
    const service: ConstructorParameters<typeof PortRecheck>[0]['service'] = {
      readState: () => readState(),
      checkPorts: async () => ({ conflicts, listening: new Set<number>() }),
      registryConflicts: () => [],
    };
    const publisher = new OverviewPublisher({ events, coalesceMs: 1, build: async () => data(recheck.current()) });
    const recheck: PortRecheck = new PortRecheck({
      service,
      busyKeys: () => [],
      folders: new FolderInfoCache(),
      publisher,
    });
    await recheck.run();
    await sleep(20);
    assert.equal(of('overview').at(-1)!.refreshError, 'The port re-check failed: instances.json: unexpected end');
    readState = async () => state;
    conflicts = [{ port: 4233, kind: 'host', service: 'web', instances: ['auth'] }];
    await recheck.run();
    await sleep(20);
    assert.equal(of('overview').at(-1)!.refreshError, null);
    assert.deepEqual(of('overview').at(-1)!.conflicts, [conflict]);
  });

  test('a host conflict of an instance that is busy (starting) is not reported until it is done', async () => {
    const rec = { name: 'auth', project: 'aegisx_auth', main: false, folder: '/src/auth', preset: 'aegisx' };
    const busy: string[] = [];
    const service = {
      readState: async () => ({ version: 1, instances: [rec] }),
      checkPorts: async () => ({
        conflicts: [{ port: 4233, kind: 'host', service: 'web', instances: ['auth'] }],
        listening: new Set<number>(),
      }),
    } as unknown as ConstructorParameters<typeof PortRecheck>[0]['service'];
    let schedules = 0;
    const recheck = new PortRecheck({
      service,
      busyKeys: () => busy,
      folders: new FolderInfoCache(),
      publisher: { schedule: () => schedules++, report: () => undefined },
    });
    busy.push(instanceId(rec));
    await recheck.run();
    assert.deepEqual([recheck.current(), schedules], [[], 0]);
    busy.length = 0;
    await recheck.run();
    assert.deepEqual([recheck.current().length, schedules], [1, 1]);
  });

  test("after an operation only its instance's ports are probed; a registration or removal probes none", async () => {
    const rec = (name: string, port: number) => ({
      name,
      project: `aegisx_${name}`,
      main: false,
      folder: `/src/${name}`,
      preset: 'aegisx',
      ports: { web: port },
    });
    const auth = rec('auth', 4233);
    const billing = rec('billing', 4234);
    let instances = [auth, billing];
    const queries: (string | undefined)[] = [];
    const held = new Set([4233, 4234]);
    const service = {
      readState: async () => ({ version: 1, instances, foreign: [] }),
      checkPorts: async (q: { only?: string }) => {
        queries.push(q.only);
        const mine = instances.filter((i) => !q.only || instanceId(i) === q.only);
        const busy = mine.filter((i) => held.has(i.ports.web));
        return {
          conflicts: busy.map((i) => ({ port: i.ports.web, kind: 'host', service: 'web', instances: [i.name] })),
          listening: new Set(busy.map((i) => i.ports.web)),
        };
      },
      registryConflicts: () => [],
    } as unknown as ConstructorParameters<typeof PortRecheck>[0]['service'];
    const recheck = new PortRecheck({
      service,
      busyKeys: () => [],
      folders: new FolderInfoCache(),
      publisher: { schedule: () => undefined, report: () => undefined },
    });
    const shown = () => recheck.current().map((c) => `${c.instances.join()}:${c.port}`);
    await recheck.run();
    assert.deepEqual(shown(), ['auth:4233', 'billing:4234']);
    held.delete(4233); // auth's user stopped what held its port, then pressed Start
    await recheck.runFor(instanceId(auth));
    assert.deepEqual([queries, shown()], [[undefined, instanceId(auth)], ['billing:4234']]);
    assert.deepEqual([...recheck.listeningPorts()], [4234]);
    instances = [auth]; // billing removed
    await recheck.refreshRegistry();
    assert.deepEqual([queries.length, shown(), [...recheck.listeningPorts()]], [2, [], []]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deriveStatus, instanceStatus, instanceStatuses } from '../../main/docker/status/status';
import type { InstanceRecord } from '../../main/core/registry/record';
import { container } from './containers';

describe('fromListEntry: what the engine lists, as axi reads it', () => {
  test('service, project and health come from the labels and the status text; ports published once each', () => {
    const c = container('web', 'Up 5 minutes (healthy)', 'running', 'shop', [
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '::1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '', PrivatePort: 9000, PublicPort: 0, Type: 'tcp' },
    ]);
    assert.equal(c.name, 'shop-web-1');
    assert.equal(c.project, 'shop');
    assert.equal(c.service, 'web');
    assert.equal(c.health, 'healthy');
    assert.deepEqual(c.published, [8080]);
    assert.deepEqual(c.portMap, [{ container: 80, host: 8080, type: 'tcp' }]); // the IPv6 twin is the same mapping
  });

  test('health text of each kind; a container that is not running has none', () => {
    assert.equal(container('db', 'Up 1 second (health: starting)').health, 'starting');
    assert.equal(container('db', 'Up 1 minute (unhealthy)').health, 'unhealthy');
    assert.equal(container('db', 'Up 1 minute').health, 'none');
    assert.equal(container('db', 'Exited (0) 1 minute ago (healthy)', 'exited').health, 'none');
  });
});

describe('deriveStatus', () => {
  test('unknown engine: status unknown, each expected service unknown', () => {
    assert.deepEqual(deriveStatus('x', undefined, ['web', 'db']), {
      name: 'x',
      status: 'unknown',
      services: { web: { state: 'unknown', health: 'none' }, db: { state: 'unknown', health: 'none' } },
    });
  });

  test('no containers: not created, expected services listed as such', () => {
    assert.deepEqual(deriveStatus('x', [], ['web']), {
      name: 'x',
      status: 'not-created',
      services: { web: { state: 'not-created', health: 'none' } },
    });
    assert.equal(deriveStatus('x', []).status, 'not-created');
  });

  test('all running: running; some: partial; none running: stopped', () => {
    const web = container('web', 'Up 1 minute');
    const db = container('db', 'Up 1 minute (healthy)');
    const dbDown = container('db', 'Exited (0) 3 seconds ago');
    assert.equal(deriveStatus('x', [web, db], ['web', 'db']).status, 'running');
    assert.equal(deriveStatus('x', [web, dbDown], ['web', 'db']).status, 'partial');
    assert.equal(deriveStatus('x', [container('web', 'Exited (137) now'), dbDown], ['web', 'db']).status, 'stopped');
    assert.deepEqual(deriveStatus('x', [web, db]).services.db, {
      state: 'running',
      health: 'healthy',
      container: 'shop_feature_x-db-1',
    });
  });

  test('an expected service without a container keeps a running instance partial', () => {
    const s = deriveStatus('x', [container('web', 'Up 1 minute')], ['web', 'worker']);
    assert.equal(s.status, 'partial');
    assert.deepEqual(s.services.worker, { state: 'not-created', health: 'none' });
  });

  test('a container without a service label is known by its name', () => {
    const c = { ...container('web', 'Up 1 minute'), service: '' };
    assert.deepEqual(Object.keys(deriveStatus('x', [c]).services), ['shop_feature_x-web-1']);
  });
});

describe('instanceStatus / instanceStatuses: the one derivation of a registered instance', () => {
  const rec = (name: string, project: string, services?: string[]): InstanceRecord => ({
    name,
    folder: `/work/${name}`,
    folderName: name,
    suffix: name,
    main: false,
    project,
    preset: 'aegisx',
    slot: 1,
    ports: {},
    template: null,
    ...(services ? { services } : {}),
    source: 'compose',
    prefix: 'shop',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  });
  const a = rec('a', 'shop_a', ['web', 'db']);
  const b = rec('b', 'shop_b', ['web']);
  const engine = [
    container('web', 'Up 1 minute', 'running', 'shop_a'),
    container('db', 'Up 1 minute (health: starting)', 'running', 'shop_a'),
    container('web', 'Exited (0) 1 minute ago', 'exited', 'shop_b'),
    container('web', 'Up 1 minute', 'running', 'someone_else'),
  ];

  test("picks the instance's own project out of every container on the engine", () => {
    const s = instanceStatus(a, engine);
    assert.equal(s.status, 'running');
    assert.deepEqual(Object.keys(s.services), ['web', 'db']);
    assert.equal(s.services.db!.health, 'starting');
    assert.equal(instanceStatus(b, engine).status, 'stopped');
  });

  test('the same answer from only its project (as the status model hands it out)', () => {
    assert.deepEqual(
      instanceStatus(
        a,
        engine.filter((c) => c.project === 'shop_a'),
      ),
      instanceStatus(a, engine),
    );
  });

  test('the services recorded at setup count: a missing one makes it partial', () => {
    assert.equal(instanceStatus(rec('a', 'shop_a', ['web', 'db', 'worker']), engine).status, 'partial');
    assert.equal(instanceStatus(rec('c', 'shop_c'), engine).status, 'not-created');
  });

  test('every instance by id, one listing; unknown engine makes every one unknown', () => {
    const all = instanceStatuses([a, b], engine);
    assert.deepEqual([...all.keys()], ['shop/a', 'shop/b']);
    assert.deepEqual(
      [...all.values()].map((s) => [s.name, s.status]),
      [
        ['a', 'running'],
        ['b', 'stopped'],
      ],
    );
    const unknown = instanceStatuses([a, b], undefined);
    assert.deepEqual(
      [...unknown.values()].map((s) => s.status),
      ['unknown', 'unknown'],
    );
    assert.deepEqual(unknown.get('shop/a')!.services, {
      web: { state: 'unknown', health: 'none' },
      db: { state: 'unknown', health: 'none' },
    });
  });

  test('agrees with deriveStatus for each record', () => {
    for (const r of [a, b]) {
      assert.deepEqual(
        instanceStatuses([a, b], engine).get(`shop/${r.name}`),
        deriveStatus(
          r.name,
          engine.filter((c) => c.project === r.project),
          r.services,
        ),
      );
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { publishedHostPorts } from '../../main/core/compose/composePorts';
import { ownHolder } from '../../main/core/instances/conflicts';
import { containerPorts, recordContainerPorts } from '../../main/core/instances/records/instanceDoc';
import type { InstanceRecord } from '../../main/core/registry/record';

const folder = '/home/u/work/shop-fix-login';
const inside = { pid: 9697, name: 'python3', cwd: `${folder}/app` };
const inst = (containerPorts: number[]) => ({ id: 'shop/fix_login', folder, containerPorts: new Set(containerPorts) });

describe('who may hold an instance port without a conflict (pure)', () => {
  test('a program run inside the checkout, on a port its containers publish: a conflict', () => {
    assert.equal(ownHolder(inside, 8142, inst([8142, 5433])), false);
    assert.equal(ownHolder({ ...inside, cwd: folder }, 8142, inst([8142])), false, 'the checkout itself');
  });

  test('a program run inside the checkout, on a port no container publishes (a dev server): its own', () => {
    assert.equal(ownHolder(inside, 4203, inst([5433, 6381, 5051])), true);
    assert.equal(ownHolder({ ...inside, cwd: folder }, 4203, inst([])), true);
  });

  test('a program elsewhere is a conflict on any port; a sibling folder with the same start is elsewhere', () => {
    assert.equal(ownHolder({ ...inside, cwd: '/tmp' }, 4203, inst([])), false);
    assert.equal(ownHolder({ ...inside, cwd: `${folder}-2` }, 4203, inst([])), false);
    assert.equal(ownHolder({ pid: 1, name: 'node' }, 4203, inst([])), false, 'no working folder known');
    assert.equal(ownHolder(undefined, 4203, inst([])), false);
  });

  test("Docker's proxy for the instance's own container coming up: its own; for another's: not", () => {
    const proxy = { pid: 5, name: 'docker-proxy', cwd: '/' };
    assert.equal(ownHolder(proxy, 8142, inst([8142]), 'shop/fix_login'), true);
    assert.equal(ownHolder(proxy, 8142, inst([8142]), 'shop/other'), false);
    assert.equal(ownHolder(proxy, 8142, inst([8142])), false);
  });
});

describe("the ports an instance's containers publish", () => {
  const rec = (over: Partial<InstanceRecord>) =>
    ({
      ports: { postgres: 5433, redis: 6381, api: 3334, web: 4200, admin: 4201, pgadmin: 5051 },
      source: 'aegisx',
      template: null,
      services: ['postgres', 'redis', 'pgadmin'],
      ...over,
    }) as InstanceRecord;

  test("from a compose document: every published host port, a range's every port, none of an unpublished one", () => {
    const doc = {
      services: {
        web: { image: 'nginx', ports: ['127.0.0.1:8142:80', '9000'] },
        db: { image: 'postgres', ports: [{ target: 5432, published: '${DB_PORT:-5433}' }] },
        rtc: { image: 'x', ports: ['50100-50102:50100-50102/udp'] },
      },
    };
    assert.deepEqual([...publishedHostPorts(doc, {})], [8142, 5433, 50100, 50101, 50102]);
    assert.deepEqual([...publishedHostPorts(doc, { DB_PORT: '5999' })], [8142, 5999, 50100, 50101, 50102]);
    assert.deepEqual([...publishedHostPorts(null, {})], []);
  });

  test('from the registration: the AegisX stack runs what it lists; a project file or template, every port', () => {
    assert.deepEqual([...recordContainerPorts(rec({}))].sort(), [5051, 5433, 6381]);
    assert.equal(recordContainerPorts(rec({ source: 'compose', services: ['web'] })).size, 6);
    assert.equal(recordContainerPorts(rec({ template: 'micro' })).size, 6);
    assert.equal(recordContainerPorts(rec({ services: undefined })).size, 6);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-conflict-owner-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the instance file decides (an edit included); without a readable one, the registration', async () => {
    const r = rec({ folder: dir });
    assert.deepEqual([...(await containerPorts(r))].sort(), [5051, 5433, 6381], 'no file: the registration');
    const file = path.join(dir, 'docker-compose.instance.yml');
    writeFileSync(file, "services:\n  web:\n    image: nginx\n    ports: ['127.0.0.1:4200:80']\n");
    assert.deepEqual([...(await containerPorts(r))], [4200], 'its file publishes web: a container port');
    writeFileSync(file, 'services: [unclosed\n');
    assert.deepEqual([...(await containerPorts(r))].sort(), [5051, 5433, 6381], 'not YAML: the registration');
  });
});

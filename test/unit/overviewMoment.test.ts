import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOverview, type OverviewSources } from '../../main/api/overview/overview';
import type { FolderInfo } from '../../main/api/overview/views';
import { OperationTracker } from '../../main/api/controller/operations';
import { instanceId } from '../../main/core/registry/instanceRef';
import type { InstanceRecord } from '../../main/core/registry/record';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import { InstanceStore } from '../../main/core/instances/records/instanceStore';
import { sandbox, sandboxPaths } from '../helpers';

const record = (name: string, slot: number): InstanceRecord => ({
  name,
  folder: `/src/aegisx-starter-${name}`,
  folderName: `aegisx-starter-${name}`,
  suffix: name,
  main: false,
  project: `aegisx_${name}`,
  preset: 'aegisx',
  slot,
  ports: { postgres: 5400 + slot, web: 4200 + slot },
  template: null,
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
});

const settled = () => new Promise((r) => setImmediate(r));

describe('the overview is one moment of the operations', () => {
  test('Start all two at a time: an operation ending while the cards are read never shows three busy', async () => {
    const sb = sandbox();
    const store = new InstanceStore({ paths: sandboxPaths(sb.env) });
    const [a, b, c] = [record('a', 1), record('b', 2), record('c', 3)];
    const ops = new OperationTracker({ changed() {}, settled() {}, notify() {}, progress() {} });
    // A folder's git lookup takes as long as it takes: c's answers only after a's start ended and c's began.
    let answerC!: () => void;
    const cAnswered = new Promise<void>((r) => (answerC = r));
    const info: FolderInfo = { branch: 'main', repository: null, gone: false, untrusted: false };
    const sources: OverviewSources = {
      service: {
        records: async () => [a, b, c],
        summarize: (r) => store.summarize(r),
        preset: AEGISX_PRESET,
        find: async () => a,
      },
      status: { engine: 'connected', project: () => [] },
      folders: { get: async (folder) => (folder === c.folder ? (await cAnswered, info) : info) },
      ops,
      conflicts: () => [],
      listening: () => new Set(),
    };
    let endA!: () => void;
    const startA = ops.run(
      { key: instanceId(a), label: 'a', what: 'start' },
      () => new Promise<void>((r) => (endA = r)),
    );
    const startB = ops.run({ key: instanceId(b), label: 'b', what: 'start' }, () => new Promise<void>(() => {}));
    const built = buildOverview(sources);
    await settled();
    endA();
    await startA;
    void ops.run({ key: instanceId(c), label: 'c', what: 'start' }, () => new Promise<void>(() => {}));
    answerC();
    const busy = (await built).instances.filter((i) => i.busy).map((i) => i.label);
    assert.deepEqual(busy, ['a', 'b'], 'the cards as they were when the overview began');
    void startB;
    sb.cleanup();
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { presetFromEnv } from '../../main/core/project/preset';
import type { InstanceRecord } from '../../main/core/registry/record';
import { staleContainers } from '../../main/docker/status/staleChecks';

const rec = {
  name: 'dd',
  folder: '/work/aegisx-starter-dd',
  folderName: 'aegisx-starter-dd',
  suffix: 'dd',
  main: false,
  project: 'aegisx_dd',
  preset: 'aegisx',
  slot: 3,
  ports: { postgres: 5436 },
  template: null,
  createdAt: '2026-12-06T00:00:00Z',
  updatedAt: '2026-12-06T00:00:00Z',
} as InstanceRecord;

const container = (labels: Record<string, string>) =>
  ({ Id: 'x', Names: ['/aegisx_dd_postgres'], Labels: labels }) as unknown as Dockerode.ContainerInfo;

/** doctor's line on a container holding an instance's name (new-user trial: "project …'s container has dd's name"). */
describe("doctor's words on a container that holds an instance's name", () => {
  const preset = presetFromEnv({});
  const fixOf = (labels: Record<string, string>) =>
    staleContainers([container(labels)], [rec], preset, (r) => r.name)[0]?.fix ?? '';

  test("the seed's own container of this folder: says so, why it matters, and points at axi adopt", () => {
    const fix = fixOf({
      'com.docker.compose.project': 'aegisx-starter-dd',
      'com.docker.compose.project.working_dir': rec.folder,
    });
    assert.equal(
      fix,
      `aegisx_dd_postgres is the seed's own container for this folder (project aegisx-starter-dd), not dd's, and axi up dd would fail on "container name already in use": axi adopt ${rec.folder} takes it over with its data`,
    );
  });

  test('a container of another folder: whose it is, what would fail, and how to remove it if unused', () => {
    const fix = fixOf({
      'com.docker.compose.project': 'other',
      'com.docker.compose.project.working_dir': '/elsewhere',
    });
    assert.match(fix, /^aegisx_dd_postgres is Compose project other's container, not dd's, and axi up dd would fail/);
    assert.match(fix, /docker rm -f aegisx_dd_postgres \(its volumes are kept\)$/);
  });
});

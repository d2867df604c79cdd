import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeCli, composeDown, exec, RUN } from './dockerHelpers';
import { writeSeedFiles } from './seedFiles';

/**
 * Adopting a seed instance whose published ports match a slot's layout by one port only (review of adoption's
 * best match): that is chance, not its slot. It is adopted with its ports as they are, no slot, and says so.
 */
describe('adopting a seed instance that matches a slot by one port of three', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const suffix = `adns${RUN}`;
  const dir = sb.folder(`aegisx-starter-${suffix}`);
  const project = `aegisx-starter-${suffix}`;
  // Postgres on slot n's port; the others (published, and the app's in .env.local) on the ports of other slots, each
  // its own: no slot holds two of them.
  const n = 40 + (parseInt(RUN, 36) % 40);
  const ports = {
    postgres: 5432 + n + 1,
    redis: 6379 + n + 17 + 2,
    pgadmin: 5050 + n + 31 + 1,
    api: 3333 + n + 5 + 1,
    web: 4200 + n + 9,
    admin: 4201 + n + 23,
  };
  const seed = writeSeedFiles(dir, suffix, ports);

  after(async () => {
    await exec('docker', ['rm', '-f', ...seed.containers]);
    await composeDown(project, path.join(dir, 'docker-compose.instance.yml'));
    await composeDown(`axitest_${seed.name}`, path.join(dir, 'docker-compose.instance.yml'));
    await exec('docker', ['volume', 'rm', ...['postgres', 'redis'].map((v) => `${project}_${seed.name}_${v}_data`)]);
    sb.cleanup();
  });

  test('adopted with its own ports and no slot, and axi adopt says why', async () => {
    const c = composeCli();
    const up = await new Promise<string | null>((resolve) =>
      execFile(c.cmd, [...c.pre, '-f', 'docker-compose.instance.yml', 'up', '-d'], { cwd: dir }, (err, so, se) =>
        resolve(err ? so + se : null),
      ),
    );
    assert.equal(up, null);
    const r = await runAxi(['adopt', dir, '--no-start'], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /- no slot: its ports match no slot's layout by a majority \(at most 1 of 6, in slot \d+\); kept as they are/,
    );
    const list = await runAxiJson(['list', '--json'], { env });
    const inst = list.json.find((i: { folder: string }) => i.folder === dir);
    assert.equal(inst.slot, null, JSON.stringify(inst));
    // All six kept: the app's ports from the seed's .env.local too, which no container publishes.
    assert.deepEqual(inst.ports, ports);
  });
});

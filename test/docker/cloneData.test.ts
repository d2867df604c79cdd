import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { copyVolumes, projectVolumes } from '../../main/docker/data/cloneData';
import { runAxi, runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { composeDown, composeDownAll, exec, psql, redisCommand, RUN } from './dockerHelpers';

/** Main's data copied into a worktree's instance on the real engine: Postgres rows and Redis keys. */
describe('copying one instance’s data into another', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const src = {
    dir: sb.folder(`aegisx-starter-cdsrc${RUN}`),
    name: `cdsrc${RUN}`,
    ports: {} as Record<string, number>,
  };
  const tgt = {
    dir: sb.folder(`aegisx-starter-cdtgt${RUN}`),
    name: `cdtgt${RUN}`,
    ports: {} as Record<string, number>,
  };
  const backend = createBackend({
    env,
    paths: sandboxPaths(env),
  });
  const rows = async (port: number) => psql(port, 'select string_agg(body, $$,$$ order by body) from notes');
  /** Every container of the source is running, none paused. */
  const assertSourceRunning = async () => {
    const states = (
      await exec('docker', [
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=axitest_${src.name}`,
        '--format',
        '{{.State}}',
      ])
    ).stdout
      .trim()
      .split('\n');
    assert.ok(states.length >= 2 && states.every((s) => s === 'running'), states.join(', '));
  };

  before(async () => {
    for (const inst of [src, tgt]) {
      const r = await runAxiJson(['setup', inst.dir], { env });
      assert.equal(r.code, 0, r.stderr);
      inst.ports = r.json.ports;
    }
    const up = await runAxiJson(['up', src.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    await psql(src.ports.postgres!, 'create table notes(body text); insert into notes values ($$from main$$)');
    assert.equal(await redisCommand(src.ports.redis!, 'SET', 'greeting', 'hello'), '+OK');
    await redisCommand(src.ports.redis!, 'SAVE');
  });

  after(async () => {
    await composeDownAll([src, tgt].map((i) => [`axitest_${i.name}`, `${i.dir}/docker-compose.instance.yml`]));
    await exec('docker', [
      'volume',
      'rm',
      ...[src, tgt].flatMap((i) => [`axitest_${i.name}_postgres_data`, `axitest_${i.name}_redis_data`]),
    ]);
    sb.cleanup();
  });

  test('rows and keys arrive in the target, verified, and the source keeps running unpaused', async () => {
    const r = await backend.lifecycle.cloneData(src.name, tgt.name);
    assert.deepEqual(r.pairs.map((p) => p.key).sort(), ['postgres', 'redis']);
    assert.ok(
      r.pairs.every((p) => p.from.includes(src.name) && p.to.includes(tgt.name)),
      JSON.stringify(r.pairs),
    );
    // The target was never started: the copy made its volumes, which hold nothing to keep.
    assert.equal(r.snapshot, undefined);
    assert.ok(
      r.copied.every((p) => p.entries > 0 && p.bytes > 0),
      JSON.stringify(r.copied),
    );
    await assertSourceRunning();
    const up = await runAxiJson(['up', tgt.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await rows(tgt.ports.postgres!), 'from main');
    assert.equal(await redisCommand(tgt.ports.redis!, 'GET', 'greeting'), 'hello');
  });

  test('writing in the copy leaves the source unchanged; a running target is refused', async () => {
    await psql(tgt.ports.postgres!, 'insert into notes values ($$only in the copy$$)');
    assert.equal(await rows(tgt.ports.postgres!), 'from main,only in the copy');
    assert.equal(await rows(src.ports.postgres!), 'from main');
    await assert.rejects(backend.lifecycle.cloneData(src.name, tgt.name), (err: Error) => {
      assert.match(err.message, new RegExp(`^${tgt.name} is running; stop it first \\(axi stop ${tgt.name}\\)`));
      return true;
    });
  });

  test('a copy that fails leaves the source running and unpaused, and the target restorable from its snapshot', async () => {
    const stop = await runAxiJson(['stop', tgt.name], { env });
    assert.equal(stop.code, 0, stop.stderr);
    const snap = await backend.lifecycle.snapshot(tgt.name, 'before a failed copy');
    const { docker } = await backend.lifecycle.docker();
    const running = (
      await exec('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=axitest_${src.name}`])
    ).stdout
      .trim()
      .split('\n');
    const pairs = (await projectVolumes(docker, `axitest_${src.name}`)).map((v) => ({
      key: v.name,
      from: v.name,
      to: v.name.replace(src.name, tgt.name),
    }));
    // An image with no shell: the copy container cannot run, midway through the operation. Built from a folder of
    // its own: the context is sent whole to the engine (all of /tmp took a minute).
    const ctx = sb.folder('nosh-image');
    writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY f /f\n');
    writeFileSync(path.join(ctx, 'f'), '');
    const built = await exec('docker', ['build', '-q', '-t', `axitest-nosh:${RUN}`, ctx]);
    assert.equal(built.code, 0, built.stderr);
    await assert.rejects(copyVolumes(docker, pairs, `axitest-nosh:${RUN}`, tgt.name, running));
    await exec('docker', ['rmi', `axitest-nosh:${RUN}`]);
    await assertSourceRunning();
    const restored = await runAxiJson(['restore', tgt.name, snap.id, '--yes'], { env });
    assert.equal(restored.code, 0, restored.stderr);
    const up = await runAxiJson(['up', tgt.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await rows(tgt.ports.postgres!), 'from main,only in the copy');
  });

  test('from the CLI: setup --data-from gives a new checkout the data; clone-data asks before replacing', async () => {
    const dir = sb.folder(`aegisx-starter-cdnew${RUN}`);
    const made = await runAxiJson(['setup', dir, '--data-from', src.name], { env });
    assert.equal(made.code, 0, made.stderr);
    assert.deepEqual(made.json.data.copied.map((p: { key: string }) => p.key).sort(), ['postgres', 'redis']);
    const up = await runAxiJson(['up', made.json.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await rows(made.json.ports.postgres), 'from main');
    await runAxiJson(['stop', made.json.name], { env });
    const asked = await runAxi(['clone-data', tgt.name, made.json.name], { env });
    assert.notEqual(asked.code, 0);
    assert.match(asked.stderr, /--yes/);
    const copied = await runAxi(['clone-data', tgt.name, made.json.name, '--yes'], { env });
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(
      copied.stdout,
      new RegExp(`copied axitest_${tgt.name}_postgres_data → axitest_${made.json.name}_postgres_data`),
    );
    assert.match(copied.stdout, /Snapshot \S+ of .* kept in .*; undo with: axi restore/);
    await composeDown(`axitest_${made.json.name}`, `${dir}/docker-compose.instance.yml`);
    await exec('docker', [
      'volume',
      'rm',
      `axitest_${made.json.name}_postgres_data`,
      `axitest_${made.json.name}_redis_data`,
    ]);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { AXI_BIN, holdPort, runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDownAll, containerExists, exec, psql, redisPing, RUN, volumeExists } from './dockerHelpers';

/** Two instances side by side on the real engine, with the stand-in images. */
describe('instances on a real Docker engine', () => {
  const sb = sandbox();
  // A namespace of their own: these tests never see (or clean up) a developer's real instances.
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  const a = { dir: sb.folder(`aegisx-starter-alpha${RUN}`), name: `alpha${RUN}`, ports: {} as Record<string, number> };
  const b = { dir: sb.folder(`aegisx-starter-beta${RUN}`), name: `beta${RUN}`, ports: {} as Record<string, number> };

  before(async () => {
    for (const inst of [a, b]) {
      const r = await runAxiJson(['setup', inst.dir], { env });
      assert.equal(r.code, 0, r.stderr);
      inst.ports = r.json.ports;
    }
  });

  after(async () => {
    await composeDownAll([a, b].map((i) => [`axitest_${i.name}`, `${i.dir}/docker-compose.instance.yml`]));
    sb.cleanup();
  });

  const status = async (name: string) => (await runAxiJson(['status', name], { env })).json;

  test('two instances up side by side: healthy, reachable with psql and Redis PING on their own ports', async () => {
    for (const inst of [a, b]) {
      const r = await runAxiJson(['up', inst.name, '--wait'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.status, 'running');
      assert.equal(r.json.services.postgres.health, 'healthy');
      assert.equal(r.json.services.redis.health, 'healthy');
    }
    for (const inst of [a, b]) {
      assert.equal(await psql(inst.ports.postgres!, 'select current_database()'), 'aegisx_db');
      assert.equal(await redisPing(inst.ports.redis!), '+PONG');
      assert.ok(await containerExists(`axitest_${inst.name}_postgres`));
    }
    const listed = (await runAxiJson(['list'], { env })).json as { name: string; status: string }[];
    assert.deepEqual(
      listed.map((i) => [i.name, i.status]).sort(),
      [
        [a.name, 'running'],
        [b.name, 'running'],
      ].sort(),
    );
    const table = await runAxi(['list'], { env });
    assert.match(table.stdout, new RegExp(`${a.name}\\s+running\\s+${a.ports.postgres}`));
  });

  test("the instances' own containers are not port conflicts", async () => {
    const cc = await runAxiJson(['check-conflicts'], { env });
    assert.deepEqual([cc.code, cc.json], [0, { conflicts: [], unreadableLines: [] }]);
  });

  test('stop pauses (volumes kept): a row written to Postgres survives stop + up, and down without --volumes', async () => {
    await psql(a.ports.postgres!, 'create table notes(body text); insert into notes values ($$kept$$)');
    const stopped = await runAxiJson(['stop', a.name], { env });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stopped.json.status, 'stopped');
    assert.ok(await volumeExists(`axitest_alpha${RUN}_postgres_data`));
    assert.equal((await runAxiJson(['up', a.name, '--wait'], { env })).code, 0);
    assert.equal(await psql(a.ports.postgres!, 'select body from notes'), 'kept');

    const down = await runAxiJson(['down', a.name], { env });
    assert.equal(down.json.status, 'not-created');
    assert.ok(await volumeExists(`axitest_alpha${RUN}_postgres_data`));
    assert.equal((await runAxiJson(['up', a.dir, '--wait'], { env })).code, 0);
    assert.equal(await psql(a.ports.postgres!, 'select body from notes'), 'kept');
  });

  test('reset asks first, snapshots every volume, wipes only this instance; restore brings the data back', async () => {
    await psql(b.ports.postgres!, 'create table other(x int); insert into other values (7)');
    const unconfirmed = await runAxi(['reset', a.name], { env });
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /Pass --yes to confirm\./);
    assert.equal(await psql(a.ports.postgres!, 'select body from notes'), 'kept');

    const reset = await runAxiJson(['reset', a.name, '--yes'], { env });
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual(
      reset.json.snapshot.volumes.map((v: { name: string }) => v.name),
      [`axitest_alpha${RUN}_postgres_data`, `axitest_alpha${RUN}_redis_data`],
    );
    assert.equal((await runAxiJson(['up', a.name, '--wait'], { env })).code, 0);
    assert.equal(
      await psql(a.ports.postgres!, "select count(*) from pg_tables where tablename = 'notes'"),
      '0',
      'reset left the old data',
    );
    assert.equal(await psql(b.ports.postgres!, 'select x from other'), '7', 'reset touched another instance');

    const snaps = (await runAxiJson(['snapshots', a.name], { env })).json;
    assert.equal(snaps.length, 1);
    assert.equal(snaps[0].id, reset.json.snapshot.id);

    // Restore while stopped: the data comes back and the instance stays stopped.
    await runAxi(['stop', a.name], { env });
    const restored = await runAxiJson(['restore', a.name, '--yes'], { env });
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.json.status, 'stopped');
    assert.equal((await runAxiJson(['up', a.name, '--wait'], { env })).code, 0);
    assert.equal(await psql(a.ports.postgres!, 'select body from notes'), 'kept');
    assert.equal(await psql(b.ports.postgres!, 'select x from other'), '7');

    const unknownSnap = await runAxi(['restore', a.name, 'nope', '--yes'], { env });
    assert.equal(unknownSnap.code, 2);
    assert.match(unknownSnap.stderr, /no snapshot nope of alpha/);
  });

  test('list --watch --json prints a change as it happens', async () => {
    const watcher = spawn(process.execPath, [AXI_BIN, 'list', '--watch', '--json'], { env });
    const lines: any[] = [];
    let buf = '';
    const seen = (pred: (l: any) => boolean, ms: number) =>
      new Promise<any>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not seen in ${ms} ms; got ${JSON.stringify(lines)}`)), ms);
        const check = () => {
          const hit = lines.find(pred);
          if (hit) {
            clearTimeout(t);
            resolve(hit);
          }
        };
        watcher.stdout.on('data', check);
        check();
      });
    watcher.stdout.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    });
    try {
      await seen((l) => l.name === b.name && l.status === 'running', 15000);
      await exec('docker', ['stop', `axitest_${b.name}_redis`]);
      const change = await seen((l) => l.name === b.name && l.status === 'partial', 15000);
      assert.equal(change.services.redis.state, 'exited');
      assert.equal(change.services.postgres.state, 'running');
    } finally {
      watcher.kill('SIGINT');
    }
  });

  test('stop-all stops every running instance and keeps their data', async () => {
    const r = await runAxiJson(['stop-all'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...r.json.stopped].sort(), [a.name, b.name].sort());
    assert.equal((await status(a.name)).status, 'stopped');
    assert.equal((await status(b.name)).status, 'stopped');
    assert.ok(await volumeExists(`axitest_beta${RUN}_postgres_data`));
  });

  test('another program on a registered port blocks the start, naming the port and the process', async () => {
    const holder = await holdPort(a.ports.pgadmin!);
    try {
      const r = await runAxi(['up', a.name], { env });
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `axi: port ${a.ports.pgadmin} (pgadmin) of ${a.name} is in use by node (pid ${holder.pid}); stop it or run axi setup ${a.dir} --reassign\n`,
      );
      assert.equal((await status(a.name)).status, 'stopped');
    } finally {
      await holder.stop();
    }
  });

  test('cleanup: a dry run only prints; a real run removes what no registration owns; volumes only with --volumes', async () => {
    // b is forgotten (its containers become orphans); a's folder stays and is untouched.
    assert.equal((await runAxi(['remove', b.name], { env })).code, 0);
    const dry = await runAxiJson(['cleanup', '--dry-run'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    const wouldContainers = dry.json.wouldRemove.containers.map((c: { name: string }) => c.name).sort();
    assert.ok(wouldContainers.includes(`axitest_${b.name}_postgres`));
    assert.ok(!wouldContainers.some((n: string) => n.includes(a.name)));
    assert.ok(
      dry.json.wouldRemove.keptVolumes.some((v: { name: string }) => v.name === `axitest_beta${RUN}_postgres_data`),
    );
    assert.ok(await containerExists(`axitest_${b.name}_postgres`), 'dry run removed something');

    const noYes = await runAxi(['cleanup'], { env });
    assert.equal(noYes.code, 2);

    const real = await runAxiJson(['cleanup', '--yes'], { env });
    assert.equal(real.code, 0, real.stderr);
    assert.ok(!(await containerExists(`axitest_${b.name}_postgres`)));
    assert.ok(await volumeExists(`axitest_beta${RUN}_postgres_data`), 'cleanup without --volumes deleted a volume');
    assert.ok(await containerExists(`axitest_${a.name}_postgres`));

    // A registration whose folder is gone.
    rmSync(a.dir, { recursive: true, force: true });
    const gone = await runAxiJson(['cleanup', '--dry-run'], { env });
    assert.deepEqual(
      gone.json.wouldRemove.registrations.map((r: { name: string }) => r.name),
      [a.name],
    );
    const withVolumes = await runAxiJson(['cleanup', '--yes', '--volumes'], { env });
    assert.equal(withVolumes.code, 0, withVolumes.stderr);
    assert.ok(!(await volumeExists(`axitest_beta${RUN}_postgres_data`)));
    assert.ok(!(await volumeExists(`axitest_alpha${RUN}_postgres_data`)));
    assert.deepEqual((await runAxiJson(['list'], { env })).json, []);
  });
});

describe('without an engine', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const env = { ...sb.env, AXI_PREFIX: 'axitest', DOCKER_HOST: `unix://${sb.dir}/no-docker.sock` };

  test('commands that need Docker exit 3 saying where they looked; list still prints the registry as unknown', async () => {
    const dir = sb.folder('aegisx-starter-offline');
    assert.equal((await runAxi(['setup', dir], { env })).code, 0);
    const up = await runAxi(['up', 'offline'], { env });
    assert.equal(up.code, 3);
    assert.equal(up.stderr, `axi: no Docker engine answered; looked at unix://${sb.dir}/no-docker.sock (absent)\n`);
    const list = await runAxiJson(['list'], { env });
    assert.equal(list.code, 0);
    assert.equal(list.json[0].status, 'unknown');
    assert.match(list.stderr, /^axi: warning: no Docker engine answered; .*status unknown\n$/);
  });
});

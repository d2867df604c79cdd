import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import { type AppController } from '../../main/api/controller/controllerTypes';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { runAxi, runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { composeDown, exec, psql, RUN, volumeExists } from './dockerHelpers';

const MiB = 1024 ** 2;

/** What each instance costs, measured on the real engine with the stand-in images. */
describe('CPU, memory and disk per instance, and reclaimable disk', () => {
  const sb = sandbox();
  // A namespace of this run's own: the cleanup below must never see another suite's instances on the shared engine.
  const prefix = `axs${RUN}`;
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: prefix };
  const inst = {
    dir: sb.folder(`aegisx-starter-cost${RUN}`),
    name: `cost${RUN}`,
    id: '',
    ports: {} as Record<string, number>,
  };
  const orphan = `${prefix}_orphan${RUN}_postgres_data`;
  /** Made by hand or by the scripts (no registry label): deleted only when asked for explicitly. */
  const unowned = `${prefix}_old${RUN}_postgres_data`;
  /** This registry's label, as axi puts it on what it creates (the registry exists once setup ran). */
  const ours = () =>
    `dev.aegisx-instances.registry=${readFileSync(path.join(env.AXI_HOME!, 'registry-id'), 'utf8').trim()}`;
  let controller: AppController;
  /** The window's controller, as `axi serve` or the app makes it. */
  const newController = () => {
    controller?.stop();
    const backend = createBackend({
      env,
      paths: sandboxPaths(env),
    });
    controller = setupController({ backend });
  };

  const listStats = async () => {
    const r = await runAxiJson(['list', '--stats'], { env });
    assert.equal(r.code, 0, r.stderr);
    return r.json.find((i: { name: string }) => i.name === inst.name).stats;
  };

  before(async () => {
    const r = await runAxiJson(['setup', inst.dir], { env });
    assert.equal(r.code, 0, r.stderr);
    inst.ports = r.json.ports;
    inst.id = r.json.id;
    const up = await runAxiJson(['up', inst.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    newController();
  });

  after(async () => {
    controller?.stop();
    await composeDown(`${prefix}_${inst.name}`, `${inst.dir}/docker-compose.instance.yml`);
    await exec('docker', ['volume', 'rm', '-f', orphan, unowned]);
    sb.cleanup();
  });

  test('a running instance: non-zero memory, a CPU figure, its volumes’ size; the table has the columns', async () => {
    const s = await listStats();
    assert.ok(s.memoryBytes > 1 * MiB, `memory ${s.memoryBytes}`);
    assert.equal(typeof s.cpuPercent, 'number');
    assert.ok(s.cpuPercent >= 0 && s.cpuPercent < 1000, `cpu ${s.cpuPercent}`);
    assert.ok(s.diskBytes > 1 * MiB, `disk ${s.diskBytes}`); // an initialised Postgres cluster
    assert.deepEqual(
      s.volumes.map((v: { name: string }) => v.name),
      [`${prefix}_${inst.name}_postgres_data`, `${prefix}_${inst.name}_redis_data`],
    );
    const table = await runAxi(['list', '--stats'], { env });
    assert.equal(table.code, 0, table.stderr);
    const [header, row] = table.stdout.trim().split('\n');
    assert.match(header!, /^NAME\s+STATUS\s+CPU\s+MEMORY\s+DISK\s+POSTGRES/);
    assert.match(row!, new RegExp(`^${inst.name}\\s+running\\s+\\d+(\\.\\d)?%\\s+[\\d.]+ MiB\\s+[\\d.]+ MiB\\s+`));
    // Without --stats nothing is measured and nothing added.
    const plain = await runAxiJson(['list'], { env });
    assert.equal(plain.json[0].stats, undefined);
  });

  test('the disk figure grows after writing data into its Postgres', async () => {
    const before = (await listStats()).diskBytes;
    await psql(
      inst.ports.postgres!,
      'create table filler as select g, repeat(md5(g::text), 20) as body from generate_series(1, 40000) g; checkpoint',
    );
    const afterWrite = (await listStats()).diskBytes;
    assert.ok(afterWrite - before > 10 * MiB, `disk ${before} → ${afterWrite}`);
  });

  test('status NAME shows CPU, memory and disk, as text and as raw numbers', async () => {
    const text = await runAxi(['status', inst.name], { env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\n {2}CPU \d+(\.\d)?% · memory [\d.]+ MiB · disk [\d.]+ MiB\n$/);
    const json = await runAxiJson(['status', inst.name], { env });
    assert.ok(json.json.stats.memoryBytes > MiB && json.json.stats.diskBytes > 10 * MiB, JSON.stringify(json.json));
  });

  test("the window's API: per-instance figures and the header's total", async () => {
    const s = await controller.handlers.getStats();
    const mine = s.instances[inst.id]!;
    assert.ok(mine.memoryBytes! > MiB && mine.diskBytes! > 10 * MiB, JSON.stringify(s));
    assert.deepEqual([s.total.running, s.total.memoryBytes, s.total.diskBytes], [1, mine.memoryBytes, mine.diskBytes]);
  });

  test('a stopped instance shows its disk but no CPU or memory', async () => {
    const stop = await runAxi(['stop', inst.name], { env });
    assert.equal(stop.code, 0, stop.stderr);
    const s = await listStats();
    assert.deepEqual([s.cpuPercent, s.memoryBytes], [null, null]);
    assert.ok(s.diskBytes > 10 * MiB);
    const text = await runAxi(['status', inst.name], { env });
    assert.match(text.stdout, /\n {2}disk [\d.]+ MiB\n$/);
  });

  test('an orphaned volume is reclaimable, with its size, until a confirmed cleanup removes it', async () => {
    // A volume of ours (project and registry labels), with no registration: a removed instance's data, 6 MiB of it.
    const label = `com.docker.compose.project=${prefix}_orphan${RUN}`;
    await exec('docker', ['volume', 'create', '--label', label, '--label', ours(), orphan]);
    // And one of the same namespace with no registry label (the scripts'): offered apart, never deleted here.
    await exec('docker', ['volume', 'create', '--label', `com.docker.compose.project=${prefix}_old${RUN}`, unowned]);
    const filled = await exec('docker', [
      'run',
      '--rm',
      '-v',
      `${orphan}:/d`,
      'redis:7-alpine',
      'sh',
      '-c',
      'head -c 6291456 /dev/urandom > /d/blob',
    ]);
    assert.equal(filled.code, 0, filled.stderr);
    const dry = await runAxiJson(['cleanup', '--dry-run'], { env });
    assert.deepEqual(dry.json.wouldRemove.keptVolumes, [{ name: orphan, bytes: 6 * MiB }]);
    assert.equal(dry.json.reclaimableBytes, 6 * MiB);
    assert.deepEqual(
      dry.json.wouldRemove.unownedVolumes.map((v: { name: string }) => v.name),
      [unowned],
    );
    const text = await runAxi(['cleanup', '--dry-run'], { env });
    // Made by hand (no registry label): offered apart from this registry's own, and said to be unowned.
    assert.match(text.stdout, new RegExp(`kept volumes \\(use --volumes to delete\\): ${orphan} \\(6\\.0 MiB\\)`));
    assert.match(
      text.stdout,
      new RegExp(`kept unowned volumes \\(no registry label[^)]*only --volumes --unowned deletes them\\): ${unowned} `),
    );
    assert.match(text.stdout, /Reclaimable: 6\.0 MiB in 1 volume with axi cleanup --volumes/);
    // The registered instance's own volumes are never in the list.
    assert.ok(!JSON.stringify(dry.json).includes(`${inst.name}_postgres_data`));

    // A window opened now (volume sizes are re-read every 30 s): the header's figure, the dry run, a stale
    // token refused, then the confirmed one.
    newController();
    const stats = await controller.handlers.getStats();
    assert.equal(stats.reclaimableBytes, 6 * MiB);
    const plan = await controller.handlers.planCleanup();
    assert.deepEqual(plan.items, [{ kind: 'volume', name: orphan, detail: null, bytes: 6 * MiB }]);
    await assert.rejects(controller.handlers.applyCleanup({ token: '0'.repeat(64) }), /changed since the dry run/);
    assert.ok(await volumeExists(orphan), 'a refused cleanup removed the volume');
    const done = await controller.handlers.applyCleanup({ token: plan.token });
    assert.deepEqual([done.removed.length, done.reclaimedBytes], [1, 6 * MiB]);
    assert.ok(!(await volumeExists(orphan)));
    assert.ok(await volumeExists(unowned), "the window's cleanup deleted an unowned volume");
    // Offered apart; deleted only by an apply that asks for them with the token that names them.
    const offered = await controller.handlers.planCleanup();
    assert.deepEqual([offered.items, offered.unowned.map((i) => i.name)], [[], [unowned]]);
    await assert.rejects(
      controller.handlers.applyCleanup({ token: offered.token, unowned: true }),
      /changed since the dry run/,
    );
    await controller.handlers.applyCleanup({ token: offered.token });
    assert.ok(await volumeExists(unowned), 'an apply without unowned: true deleted an unowned volume');
    const asked = await controller.handlers.applyCleanup({ token: offered.unownedToken!, unowned: true });
    assert.deepEqual(
      asked.removed.map((i) => i.name),
      [unowned],
    );
    assert.ok(!(await volumeExists(unowned)));
    await exec('docker', ['volume', 'create', '--label', `com.docker.compose.project=${prefix}_old${RUN}`, unowned]);
    assert.equal((await controller.handlers.getStats()).reclaimableBytes, 0);
    assert.equal((await runAxiJson(['cleanup', '--dry-run'], { env })).json.reclaimableBytes, 0);
  });

  test('from the CLI a volume goes only with --volumes and a confirmation; an unowned one only with --unowned too', async () => {
    const label = `com.docker.compose.project=${prefix}_orphan${RUN}`;
    await exec('docker', ['volume', 'create', '--label', label, '--label', ours(), orphan]);
    assert.equal((await runAxi(['cleanup', '--yes'], { env })).code, 0);
    assert.ok(await volumeExists(orphan), 'cleanup without --volumes deleted a volume');
    const unconfirmed = await runAxi(['cleanup', '--volumes'], { env });
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
    assert.ok(await volumeExists(orphan));
    const confirmed = await runAxiJson(['cleanup', '--volumes', '--yes'], { env });
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.ok(!(await volumeExists(orphan)));
    assert.ok(await volumeExists(unowned), 'cleanup --volumes deleted an unowned volume');
    const alone = await runAxi(['cleanup', '--unowned', '--yes'], { env });
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /--unowned deletes volumes: give it with --volumes/);
    const explicit = await runAxi(['cleanup', '--volumes', '--unowned', '--yes'], { env });
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.match(explicit.stdout, new RegExp(`volume ${unowned} \\(.*\\) \\(unowned: no registry label`));
    assert.ok(!(await volumeExists(unowned)));
    assert.equal((await runAxiJson(['cleanup', '--dry-run'], { env })).json.reclaimableBytes, 0);
  });
});

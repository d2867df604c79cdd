import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeShop } from '../compose/fixtures';
import { holdPort, ROOT, runAxi, runAxiJson, sandbox } from '../helpers';
import {
  composeCli,
  composeDown,
  composeDownAll,
  containerExists,
  exec,
  psql,
  RUN,
  volumeExists,
} from './dockerHelpers';

/** The hardening cases that need a real engine: exit codes, re-adoption, snapshots, remove, Compose versions. */
describe('hardening on a real engine', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const noEngine = { ...env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  const lc = { dir: sb.folder(`aegisx-starter-lc${RUN}`), name: `lc${RUN}`, ports: {} as Record<string, number> };
  const projects: [string, string][] = [];

  before(async () => {
    const r = await runAxiJson(['setup', lc.dir], { env });
    assert.equal(r.code, 0, r.stderr);
    lc.ports = r.json.ports;
    projects.push([`axitest_${lc.name}`, lc.dir]);
    const up = await runAxiJson(['up', lc.name, '--wait'], { env: { ...env, AXI_DEBUG: '1' } });
    assert.equal(up.code, 0, up.stderr);
    // Which Compose ran, and v2's own `up --wait` rather than ours.
    const cli = composeCli();
    const spawned = up.stderr.split('\n').find((l) => l.startsWith('axi: debug: spawn '));
    assert.ok(spawned, up.stderr);
    if (cli.version === 2)
      assert.match(spawned, /^axi: debug: spawn docker compose -p axitest_\S+ -f \S+ up -d --wait --wait-timeout 180 /);
    else assert.match(spawned, /^axi: debug: spawn docker-compose -p axitest_\S+ -f \S+ up -d \(in /);
  });

  after(async () => {
    await composeDownAll(projects.map(([project, dir]) => [project, path.join(dir, 'docker-compose.instance.yml')]));
    await exec('docker', ['volume', 'rm', '-f', `axitest_victim${RUN}_data`]);
    sb.cleanup();
  });

  test('no engine: every command that needs one exits 3 first, never blaming the instance its own ports', async () => {
    for (const args of [
      ['up', lc.name],
      ['up', lc.name, '--wait'],
      ['stop', lc.name],
      ['down', lc.name],
      ['status', lc.name],
      ['logs', lc.name],
      ['reset', lc.name, '--yes'],
      ['restore', lc.name, '--yes'],
      ['cleanup', '--dry-run'],
      ['doctor'],
    ]) {
      const r = await runAxi(args, { env: noEngine });
      assert.equal(r.code, 3, `axi ${args.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /^axi: no Docker engine answered; looked at unix:\/\/\/nonexistent\.sock \(absent\)\n$/,
        args.join(' '),
      );
    }
    const remove = await runAxi(['remove', lc.name], { env: noEngine });
    assert.equal(remove.code, 3);
    assert.match(
      remove.stderr,
      /^axi: no Docker engine answered; .*; to forget \S+ without asking the engine, pass --keep-containers\n$/,
    );
    assert.equal(
      (await runAxiJson(['status', lc.name], { env })).json.status,
      'running',
      'something stopped the instance',
    );
  });

  test('up on a running instance is a no-op that says so; its own ports are no conflict', async () => {
    const r = await runAxi(['up', lc.name], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `${lc.name}: running (postgres healthy, redis healthy, pgadmin running)\n  note: already running: nothing to start\n`,
    );
  });

  test('up after setup changed the instance file is not a no-op: the new ports take effect', async () => {
    const before = (await runAxiJson(['status', lc.name], { env })).json;
    assert.equal(before.status, 'running');
    await new Promise((r) => setTimeout(r, 1100)); // container times have whole seconds
    const reassigned = await runAxiJson(['setup', lc.dir, '--reassign', '--all', '--force'], { env });
    const r = await runAxiJson(['up', lc.name, '--wait'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.notes, undefined);
    const ps = await exec('docker', ['port', `axitest_${lc.name}_postgres`, '5432']);
    assert.match(ps.stdout, new RegExp(`127\\.0\\.0\\.1:${reassigned.json.ports.postgres}`));
    lc.ports = reassigned.json.ports;
  });

  test('an instance file written in the second its containers were made: up tells by their exact time', async () => {
    const file = path.join(lc.dir, 'docker-compose.instance.yml');
    const ids = (await exec('docker', ['ps', '-aq', '--filter', `name=axitest_${lc.name}_`])).stdout.split('\n');
    const created = await exec('docker', ['inspect', '-f', '{{.Created}}', ...ids.filter(Boolean)]);
    const times = created.stdout
      .split('\n')
      .filter(Boolean)
      .map((t) => Date.parse(t));
    // Written just before the first was made: not newer, so a no-op.
    const before = (Math.min(...times) - 1) / 1000;
    utimesSync(file, before, before);
    const same = await runAxiJson(['up', lc.name], { env });
    assert.deepEqual(same.json.notes, ['already running: nothing to start']);
    // Written just after, in the same second (a setup right after an up): not a no-op. It was taken for one,
    // so a new volume never applied and a reset found none to snapshot (hostAccess, in a full run).
    const later = (Math.max(...times) + 1) / 1000;
    utimesSync(file, later, later);
    const changed = await runAxiJson(['up', lc.name, '--wait'], { env });
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.json.notes, undefined, 'up ran Compose');
  });

  test("the team's port-manager.sh stop NAME stops the instance axi wrote into the registry file", async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        'bash',
        [path.join(ROOT, 'test', 'fixtures', 'port-manager.sh'), 'stop', lc.name],
        { env: { ...env, AEGISX_PORT_REGISTRY: env.AXI_PORT_REGISTRY, PREFIX: 'axitest' } },
        (err, o, e) => resolve({ code: err ? 1 : 0, out: o + e }),
      ),
    );
    assert.equal(r.code, 0, r.out);
    const s = (await runAxiJson(['status', lc.name], { env })).json;
    assert.equal(s.services.postgres.state, 'exited');
    assert.equal(s.services.redis.state, 'exited');
    assert.equal((await runAxiJson(['up', lc.name, '--wait'], { env })).code, 0);
  });

  test('snapshots are private (0700 folders, 0600 files) and restore refuses a manifest naming a foreign volume or file', async () => {
    await psql(lc.ports.postgres!, 'create table t(x int); insert into t values (1)');
    const reset = await runAxiJson(['reset', lc.name, '--yes'], { env });
    assert.equal(reset.code, 0, reset.stderr);
    const dir = reset.json.snapshot.dir as string;
    for (const d of [dir, path.dirname(dir), path.dirname(path.dirname(dir))])
      assert.equal(statSync(d).mode & 0o777, 0o700, d);
    for (const f of ['manifest.json', ...reset.json.snapshot.volumes.map((v: { name: string }) => `${v.name}.tar`)]) {
      assert.equal(statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
    }
    const victim = `axitest_victim${RUN}_data`;
    await exec('docker', ['volume', 'create', victim]);
    const manifest = path.join(dir, 'manifest.json');
    const original = readFileSync(manifest, 'utf8');
    const m = JSON.parse(original);
    for (const [crafted, why] of [
      [{ ...m, volumes: [{ ...m.volumes[0], name: victim }] }, `volume "${victim}" is not one of ${lc.name}'s`],
      [
        { ...m, volumes: [{ ...m.volumes[0], file: '../../../../etc/passwd' }] },
        'archive "../../../../etc/passwd" is not a file in the snapshot\'s folder',
      ],
      [{ ...m, instance: 'someone_else' }, 'its manifest names instance "someone_else"'],
    ] as const) {
      writeFileSync(manifest, JSON.stringify(crafted));
      const r = await runAxi(['restore', lc.name, reset.json.snapshot.id, '--yes'], { env });
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.ok(r.stderr.includes(why), r.stderr);
    }
    assert.ok(await volumeExists(victim), 'a crafted manifest removed an unrelated volume');
    assert.equal((await runAxiJson(['status', lc.name], { env })).json.status, 'running');
    writeFileSync(manifest, original);
    const ok = await runAxiJson(['restore', lc.name, reset.json.snapshot.id, '--yes'], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(await psql(lc.ports.postgres!, 'select x from t'), '1');
  });

  test('remove refuses a running instance; --down removes its containers and keeps its volumes', async () => {
    const r = await runAxi(['remove', lc.name], { env });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^axi: ${lc.name} is running \\(.*axitest_${lc.name}_postgres.*\\); stop and remove its containers with axi remove ${lc.name} --down`,
      ),
    );
    assert.ok((await runAxiJson(['list'], { env })).json.some((i: { name: string }) => i.name === lc.name));
    const down = await runAxi(['remove', lc.name, '--down'], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /with its containers/);
    assert.ok(!(await containerExists(`axitest_${lc.name}_postgres`)));
    assert.ok(await volumeExists(`axitest_${lc.name}_postgres_data`));
    assert.ok(!(await runAxiJson(['list'], { env })).json.some((i: { name: string }) => i.name === lc.name));
  });

  test('registering a folder whose containers already run adopts the ports they publish', async () => {
    const dir = sb.folder(`aegisx-starter-adopt${RUN}`);
    const name = `adopt${RUN}`;
    projects.push([`axitest_${name}`, dir]);
    // First registration away from the preferred slot: another program holds one of its ports.
    const probe = await runAxiJson(['setup', dir], { env });
    const holder = await holdPort(probe.json.ports.pgadmin);
    const first = await runAxiJson(['setup', dir, '--reassign'], { env }).finally(() => holder.stop());
    assert.notDeepEqual(first.json.ports, probe.json.ports);
    assert.equal((await runAxiJson(['up', name, '--wait'], { env })).code, 0);
    assert.equal((await runAxi(['remove', name, '--keep-containers'], { env })).code, 0);
    const again = await runAxiJson(['setup', dir], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.json.ports, first.json.ports, 'the registration does not follow the running containers');
    assert.ok(again.json.notes.includes('adopted the ports its running containers publish'));
    assert.equal((await runAxiJson(['status', name], { env })).json.status, 'running');
  });

  test('doctor --fix re-adopts --from instances with the same name, prefix, ports and source; setup then keeps them', async () => {
    const tag = `hshop${RUN}`;
    const { main, worktree } = makeShop(path.join(sb.dir, 'work'), 28180, 25540, tag, false);
    const before: Record<string, { name: string; project: string; ports: object }> = {};
    for (const dir of [main, worktree]) {
      const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml'], { env });
      assert.equal(r.code, 0, r.stderr);
      before[dir] = r.json;
      projects.push([r.json.project, dir]);
      assert.equal((await runAxiJson(['up', r.json.name, '--wait'], { env })).code, 0);
    }
    assert.equal(before[worktree]!.project, `${tag}_feature_x`);
    rmSync(path.join(env.AXI_HOME!, 'instances.json'));
    rmSync(env.AXI_PORT_REGISTRY!);
    const fix = await runAxiJson(['doctor', '--fix'], { env });
    assert.equal(fix.code, 0, JSON.stringify(fix.json));
    const listed = (await runAxiJson(['list'], { env })).json as {
      name: string;
      project: string;
      ports: object;
      folder: string;
      status: string;
    }[];
    for (const dir of [main, worktree]) {
      const i = listed.find((x) => x.folder === dir)!;
      assert.deepEqual(
        [i.name, i.project, i.ports, i.status],
        [before[dir]!.name, before[dir]!.project, before[dir]!.ports, 'running'],
      );
      const again = await runAxiJson(['setup', dir], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual([again.json.project, again.json.ports], [before[dir]!.project, before[dir]!.ports]);
      assert.match(
        readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'),
        /^# axi-origin: \{"source":"compose","from":\["docker-compose\.yml"\],"prefix":"hshop\w+"\}$/m,
      );
    }
  });
});

describe('moving from Compose v1 to v2 keeps instances working', () => {
  const v2Config = process.env.AXI_COMPOSE_V2_CONFIG;
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const dir = sb.folder(`aegisx-starter-mig${RUN}`);
  const name = `mig${RUN}`;
  after(async () => {
    await composeDown(`axitest_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    await exec(
      'docker',
      ['compose', '-p', `axitest_${name}`, '-f', path.join(dir, 'docker-compose.instance.yml'), 'down', '--volumes'],
      { ...process.env, DOCKER_CONFIG: v2Config ?? '' },
    );
    sb.cleanup();
  });

  test(
    'up with v1, stop, up with v2: the v1 network is recreated, the data is kept',
    {
      skip: !v2Config
        ? 'Compose v2 not installed (AXI_COMPOSE_V2_CONFIG)'
        : process.env.AXI_COMPOSE === 'v2'
          ? 'runs once, in the v1 pass (it switches versions itself)'
          : false,
    },
    async () => {
      const setup = await runAxiJson(['setup', dir], { env });
      assert.equal((await runAxiJson(['up', name, '--wait'], { env: { ...env, AXI_COMPOSE: 'v1' } })).code, 0);
      await psql(setup.json.ports.postgres, 'create table kept(x int); insert into kept values (42)');
      assert.equal((await runAxi(['stop', name], { env: { ...env, AXI_COMPOSE: 'v1' } })).code, 0);
      const v2env = { ...env, AXI_COMPOSE: 'v2', DOCKER_CONFIG: v2Config };
      // Another container on that network: nothing is removed, and the error says which one and what to run.
      const intruder = `axitest_intruder${RUN}`;
      assert.equal(
        (
          await exec('docker', [
            'run',
            '-d',
            '--name',
            intruder,
            '--network',
            `axitest_${name}_net`,
            'redis:7-alpine',
            'redis-server',
          ])
        ).code,
        0,
      );
      const refused = await runAxi(['up', name], { env: v2env });
      await exec('docker', ['rm', '-f', intruder]);
      assert.equal(refused.code, 1);
      // Compose's own line comes first (progress goes to stderr); axi's one-line error is the last.
      assert.match(
        refused.stderr.trim().split('\n').pop()!,
        new RegExp(
          `^axi: network axitest_${name}_net was made by Compose v1 and is also used by container ${intruder}; run: docker network disconnect axitest_${name}_net ${intruder}, then start again$`,
        ),
      );
      assert.ok(
        await containerExists(`axitest_${name}_postgres`),
        'the instance lost its containers although the network was kept',
      );
      const up = await runAxiJson(['up', name, '--wait'], { env: v2env });
      assert.equal(up.code, 0, up.stderr);
      assert.match(
        up.json.notes.join('\n'),
        new RegExp(
          `network axitest_${name}_net was made by Compose v1: recreated it and the containers .*axitest_${name}_postgres`,
        ),
      );
      assert.equal(up.json.status, 'running');
      assert.equal(await psql(setup.json.ports.postgres, 'select x from kept'), '42');
      // And back: v1 starts what v2 made.
      assert.equal((await runAxi(['stop', name], { env: v2env })).code, 0);
      const back = await runAxiJson(['up', name, '--wait'], { env: { ...env, AXI_COMPOSE: 'v1' } });
      assert.equal(back.code, 0, back.stderr);
    },
  );
});

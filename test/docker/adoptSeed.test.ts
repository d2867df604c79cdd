import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeCli, composeDown, containerExists, exec, psql, RUN, volumeExists } from './dockerHelpers';
import { seedPorts, writeSeedFiles } from './seedFiles';

/** The seed's documented command, run in the folder (no -p: Compose names the project after the folder, or -p). */
function seedUp(folder: string, project?: string): Promise<{ code: number; out: string }> {
  const c = composeCli();
  const p = project ? ['-p', project] : [];
  return new Promise((resolve) =>
    execFile(c.cmd, [...c.pre, ...p, '-f', 'docker-compose.instance.yml', 'up', '-d'], { cwd: folder }, (err, so, se) =>
      resolve({ code: err ? 1 : 0, out: so + se }),
    ),
  );
}

async function psqlWhenUp(port: number, sql: string): Promise<string> {
  const until = Date.now() + 90_000;
  for (;;) {
    try {
      return await psql(port, sql);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * Issue 29 point 5 (and issue 32's "doctor offers adoption"): an instance the seed's setup-env.sh and its
 * `docker-compose -f docker-compose.instance.yml up -d` made, with a row in its Postgres, is adopted by axi with
 * its ports and volumes; the row is there after `axi up`. Another registry's stack is refused.
 */
describe("the seed's own instances are adopted, data and all", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const suffix = `adopt${RUN}`;
  const dir = sb.folder(`aegisx-starter-${suffix}`);
  const seedProject = `aegisx-starter-${suffix}`;
  // The seed's ports of a slot this run picks (40-89): a fixed low slot met another suite's instance on 6383.
  const slotOf = (k: number) => 40 + ((parseInt(RUN, 36) + k * 25) % 50);
  const ports = seedPorts(slotOf(0));
  const seed = writeSeedFiles(dir, suffix, ports);
  const realVolume = `${seedProject}_${seed.name}_postgres_data`;
  const other = sandbox();
  const otherEnv: NodeJS.ProcessEnv = { ...other.env, AXI_PREFIX: 'axitest' };
  const otherName = `theirs${RUN}`;
  const otherDir = other.folder(`aegisx-starter-${otherName}`);
  const pSuffix = `adoptp${RUN}`;
  const pDir = sb.folder(`aegisx-starter-${pSuffix}`);
  const pPorts = seedPorts(slotOf(1));
  const pSeed = writeSeedFiles(pDir, pSuffix, pPorts);
  const pProject = `axitest_${pSeed.name}`;

  after(async () => {
    await exec('docker', ['rm', '-f', ...seed.containers]);
    await composeDown(seedProject, path.join(dir, 'docker-compose.instance.yml'));
    await composeDown(`axitest_${seed.name}`, path.join(dir, 'docker-compose.instance.yml'));
    await composeDown(`axitest_${otherName}`, path.join(otherDir, 'docker-compose.instance.yml'));
    await exec('docker', ['rm', '-f', ...pSeed.containers]);
    await composeDown(pProject, path.join(pDir, 'docker-compose.instance.yml'));
    await exec('docker', ['volume', 'rm', realVolume, `${seedProject}_${seed.name}_redis_data`]);
    await exec('docker', ['volume', 'rm', ...['postgres', 'redis'].map((v) => `${pProject}_${pSeed.name}_${v}_data`)]);
    sb.cleanup();
    other.cleanup();
  });

  test('doctor finds the seed-made stack and offers adoption; setup says it is a seed instance and changes nothing', async () => {
    const up = await seedUp(dir);
    assert.equal(up.code, 0, up.out);
    await psqlWhenUp(ports.postgres, 'CREATE TABLE notes (body text)');
    await psql(ports.postgres, "INSERT INTO notes VALUES ('written before axi')");
    const doc = await runAxiJson(['doctor'], { env });
    const found = doc.json.findings.find((f: { kind: string }) => f.kind === 'seed-stack');
    assert.ok(found, JSON.stringify(doc.json));
    assert.equal(found.folder, dir);
    assert.equal(found.project, seedProject);
    assert.match(found.fix, /axi adopt/);
    const s = await runAxi(['setup', dir], { env });
    assert.notEqual(s.code, 0);
    assert.match(s.stderr, /made by the team's setup-env\.sh \(a seed instance\).*axi adopt/);
    assert.ok(
      !existsSync(path.join(env.AXI_HOME!, 'instances.json')) ||
        !readFileSync(path.join(env.AXI_HOME!, 'instances.json'), 'utf8').includes(dir),
    );
  });

  test('axi adopt keeps the ports and the volumes, replaces the containers, and the row is there after axi up', async () => {
    const r = await runAxi(['adopt', dir], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`kept volume ${realVolume}`));
    assert.match(r.stdout, /removed the containers .* \(volumes kept\)/);
    const list = await runAxiJson(['list', '--json'], { env });
    const inst = list.json.find((i: { folder: string }) => i.folder === dir);
    assert.equal(inst.ports.postgres, ports.postgres);
    assert.equal(inst.ports.redis, ports.redis);
    for (const c of seed.containers) assert.ok(!(await containerExists(c)), `${c} was replaced`);
    assert.equal(await psqlWhenUp(ports.postgres, 'SELECT body FROM notes'), 'written before axi');
    const mounts = await exec('docker', [
      'inspect',
      '-f',
      '{{range .Mounts}}{{.Name}} {{end}}',
      `axitest_${seed.name}_postgres`,
    ]);
    assert.match(mounts.stdout, new RegExp(realVolume));
    const down = await runAxi(['down', seed.name], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.ok(await volumeExists(realVolume), 'down keeps the adopted volume');
    const again = await runAxi(['up', seed.name, '--wait'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await psqlWhenUp(ports.postgres, 'SELECT body FROM notes'), 'written before axi');
    const doc = await runAxiJson(['doctor'], { env });
    assert.ok(!doc.json.findings.some((f: { kind: string }) => f.kind === 'seed-stack'), JSON.stringify(doc.json));
  });

  test("another registry's stack of a folder is refused, naming that registry, and left running", async () => {
    const s = await runAxi(['setup', otherDir], { env: otherEnv });
    assert.equal(s.code, 0, s.stderr);
    const up = await runAxi(['up', otherName], { env: otherEnv });
    assert.equal(up.code, 0, up.stderr);
    const r = await runAxi(['adopt', otherDir], { env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`refused: .* belongs to registry ${other.env.AXI_HOME}`));
    const state = await exec('docker', ['inspect', '-f', '{{.State.Running}}', `axitest_${otherName}_postgres`]);
    assert.equal(state.stdout.trim(), 'true');
    // Its slot is its folder's (any of them): stopped, so it never holds the next test's seed ports.
    assert.equal((await runAxi(['down', otherName], { env: otherEnv })).code, 0);
  });

  test("the seed's -p flow under axi's own project name: doctor --fix adopts it, and the row is there after axi up", async () => {
    const up = await seedUp(pDir, pProject);
    assert.equal(up.code, 0, up.out);
    await psqlWhenUp(pPorts.postgres, 'CREATE TABLE notes (body text)');
    await psql(pPorts.postgres, "INSERT INTO notes VALUES ('made with -p')");
    const fix = await runAxi(['doctor', '--fix'], { env });
    assert.match(fix.stdout, new RegExp(`fixed: adopted ${pSeed.name} \\(${pDir}\\) from project ${pProject}`));
    for (const c of pSeed.containers) assert.ok(!(await containerExists(c)), `${c} was replaced`);
    const again = await runAxi(['up', pSeed.name, '--wait'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await psqlWhenUp(pPorts.postgres, 'SELECT body FROM notes'), 'made with -p');
    const st = await runAxiJson(['status', pSeed.name], { env });
    assert.equal(st.json.status, 'running', JSON.stringify(st.json));
  });
});

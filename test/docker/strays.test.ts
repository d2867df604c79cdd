import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDown, containerExists, exec, RUN, volumeExists } from './dockerHelpers';

/**
 * Issue 32, cases 2, 5, 6 and 7 on the real engine: a template copied from another instance's file, a setup
 * that would replace a running registration, a removed folder, and a stale container with an instance's name.
 */
describe('what is not this instance’s is said, never taken', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const name = `stray${RUN}`;
  const dir = sb.folder(`aegisx-starter-${name}`);
  const goneName = `gone${RUN}`;
  const goneDir = sb.folder(`aegisx-starter-${goneName}`);
  const registry = () => readFileSync(path.join(env.AXI_HOME!, 'instances.json'), 'utf8');

  before(async () => {
    for (const d of [dir, goneDir]) {
      const s = await runAxi(['setup', d], { env });
      assert.equal(s.code, 0, s.stderr);
    }
  });

  after(async () => {
    await composeDown(`axitest_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    await exec('docker', [
      'rm',
      '-f',
      `axitest_${goneName}_postgres`,
      `axitest_${goneName}_redis`,
      `axitest_${goneName}_pgadmin`,
    ]);
    await exec('docker', ['network', 'rm', `axitest_${goneName}_net`]);
    await exec('docker', ['volume', 'rm', `axitest_${goneName}_postgres_data`, `axitest_${goneName}_redis_data`]);
    await exec('docker', ['rm', '-f', `axitest_stale${RUN}_postgres`]);
    sb.cleanup();
  });

  test('case 2: a template copied from another instance’s file is refused at setup, naming the clash and the fix', async () => {
    const repo = sb.folder(`aegisx-starter-tpl${RUN}`);
    mkdirSync(path.join(repo, 'templates'), { recursive: true });
    writeFileSync(
      path.join(repo, 'templates', 'copied.yml'),
      readFileSync(path.join(dir, 'docker-compose.instance.yml')),
    );
    const r = await runAxi(['setup', repo, '--template', 'copied'], { env });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`would use the (container|volume|network) axitest_${name}_\\w+, which belongs to`),
    );
    assert.match(r.stderr, /regenerate templates\/copied\.yml from the template's source, or let axi name them/);
    assert.ok(!registry().includes(repo), 'nothing registered');
  });

  test('case 5: setup with another FOLDER_NAME in a folder whose instance runs is refused; --replace stops it, volumes kept', async () => {
    const up = await runAxi(['up', name], { env });
    assert.equal(up.code, 0, up.stderr);
    const before = registry();
    const other = { ...env, FOLDER_NAME: `aegisx-starter-renamed${RUN}` };
    const r = await runAxi(['setup', dir], { env: other });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`registered as ${name}, which is running .*--replace`));
    assert.equal(registry(), before, 'the registry is unchanged');
    const doctor = await runAxi(['doctor', '--fix'], { env });
    assert.equal(registry(), before, `doctor --fix left the registration as it is: ${doctor.stdout}`);
    const replaced = await runAxiJson(['setup', dir, '--replace'], { env: other });
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.ok(replaced.json.notes.some((n: string) => n.startsWith(`replaced ${name}: stopped its containers`)));
    const state = await exec('docker', ['inspect', '-f', '{{.State.Running}}', `axitest_${name}_postgres`]);
    assert.equal(state.stdout.trim(), 'false');
    assert.ok(await volumeExists(`axitest_${name}_postgres_data`));
    // doctor --fix finds the old project's stopped containers, but never rewrites this folder's registration.
    const afterReplace = registry();
    await runAxi(['doctor', '--fix'], { env });
    assert.equal(registry(), afterReplace);
    const back = await runAxi(['setup', dir], { env });
    assert.equal(back.code, 0, back.stderr);
  });

  test('case 6: a removed folder is said by list and doctor; stop, stop-all and down work by label and exit 0', async () => {
    const up = await runAxi(['up', goneName], { env });
    assert.equal(up.code, 0, up.stderr);
    rmSync(goneDir, { recursive: true, force: true });
    const list = await runAxi(['list'], { env });
    assert.match(list.stdout, new RegExp(`${goneName}\\s+running.*\\(folder gone\\)`));
    const doctor = await runAxi(['doctor'], { env });
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, new RegExp(`${goneName}'s folder is gone`));
    const stop = await runAxi(['stop', goneName], { env });
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout + stop.stderr, /folder .* is gone: stopped its 3 container\(s\) by label/);
    assert.equal((await runAxi(['up', name], { env })).code, 0);
    const all = await runAxi(['stop-all'], { env });
    assert.equal(all.code, 0, all.stderr);
    const down = await runAxi(['down', goneName], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout + down.stderr, /removed its 3 container\(s\) by label \(volumes kept\)/);
    assert.ok(!(await containerExists(`axitest_${goneName}_postgres`)));
    assert.ok(await volumeExists(`axitest_${goneName}_postgres_data`));
  });

  test('case 7: a stale container with an instance’s name is reported by doctor and check-conflicts', async () => {
    const staleName = `stale${RUN}`;
    const s = await runAxi(['setup', sb.folder(`aegisx-starter-${staleName}`)], { env });
    assert.equal(s.code, 0, s.stderr);
    const run = await exec('docker', ['run', '-d', '--name', `axitest_${staleName}_postgres`, 'redis:7-alpine']);
    assert.equal(run.code, 0, run.stderr);
    const cc = await runAxi(['check-conflicts'], { env });
    assert.equal(cc.code, 1, cc.stdout);
    assert.match(
      cc.stdout,
      new RegExp(`container axitest_${staleName}_postgres has ${staleName}'s name.*docker rm -f`),
    );
    const doctor = await runAxi(['doctor'], { env });
    assert.match(doctor.stdout, new RegExp(`container axitest_${staleName}_postgres has ${staleName}'s name`));
  });
});

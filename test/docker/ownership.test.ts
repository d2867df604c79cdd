import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeCli, exec, psql, RUN } from './dockerHelpers';

/**
 * Issue 32, case 1: a developer's registry and a CI job's (its own HOME) on one engine. The CI job registers
 * the same instance name (`FOLDER_NAME=aegisx-starter-payment` in its checkout): it can neither read, stop nor
 * delete the developer's containers and volumes, and its cleanup does not offer them.
 */
describe("two registries on one engine never touch each other's data", () => {
  const dev = sandbox();
  const ci = sandbox();
  const name = `payment${RUN}`;
  const devEnv = { ...dev.env, AXI_PREFIX: 'axitest' };
  const ciEnv = { ...ci.env, AXI_PREFIX: 'axitest', FOLDER_NAME: `aegisx-starter-${name}` };
  const devDir = dev.folder(`aegisx-starter-${name}`);
  const ciDir = ci.folder('build');
  let port = 0;
  const rows = () => psql(port, 'select string_agg(body, $$,$$) from notes');

  before(async () => {
    const s = await runAxiJson(['setup', devDir], { env: devEnv });
    assert.equal(s.code, 0, s.stderr);
    port = s.json.ports.postgres;
    const up = await runAxi(['up', name, '--wait'], { env: devEnv });
    assert.equal(up.code, 0, up.stderr);
    await psql(port, 'create table notes(body text); insert into notes values ($$the developer’s row$$)');
    const c = await runAxiJson(['setup', ciDir], { env: ciEnv });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.json.name, name);
    const other = await runAxi(['setup', ci.folder(`aegisx-starter-ci${RUN}`)], { env: { ...ciEnv, FOLDER_NAME: '' } });
    assert.equal(other.code, 0, other.stderr);
  });

  after(async () => {
    const c = composeCli();
    await exec(c.cmd, [
      ...c.pre,
      '-p',
      `axitest_${name}`,
      '-f',
      path.join(devDir, 'docker-compose.instance.yml'),
      'down',
      '--volumes',
    ]);
    dev.cleanup();
    ci.cleanup();
  });

  test('every destructive command of the other registry is refused, naming the owner and where to run it', async () => {
    for (const args of [
      ['up', name],
      ['stop', name],
      ['down', name, '--volumes', '--yes'],
      ['reset', name, '--yes'],
      ['clone-data', `ci${RUN}`, name, '--yes'],
      ['remove', name, '--down'],
    ]) {
      const r = await runAxi(args, { env: ciEnv });
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      const refusal = lines[lines.length - 1]!;
      assert.match(refusal, /refused: .* belongs to registry /, args.join(' '));
      assert.ok(refusal.includes(dev.env.AXI_HOME!) && refusal.includes(devDir), refusal);
    }
    assert.equal(await rows(), 'the developer’s row');
    const st = await runAxiJson(['status', name], { env: devEnv });
    assert.equal(st.json.status, 'running');
  });

  test("the other registry's status does not read the developer's containers as its own", async () => {
    const st = await runAxiJson(['status', name], { env: ciEnv });
    assert.equal(st.json.status, 'not-created');
    assert.equal(st.json.stats?.memoryBytes ?? null, null, "no figures read from the developer's containers");
    const list = await runAxiJson(['list'], { env: ciEnv });
    assert.equal(list.json.find((i: { name: string }) => i.name === name).status, 'not-created');
  });

  test("cleanup in the other registry does not offer the developer's volumes", async () => {
    await runAxi(['stop', name], { env: devEnv });
    // The CI job forgets its own registration: the developer's project is then registered nowhere it can see.
    assert.equal((await runAxi(['remove', name, '--keep-containers'], { env: ciEnv })).code, 0);
    const r = await runAxiJson(['cleanup', '--dry-run', '--volumes'], { env: { ...ciEnv, FOLDER_NAME: '' } });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.stringify(r.json);
    assert.ok(!plan.includes(`axitest_${name}`) && !plan.includes(`${name}_postgres_data`), plan);
    const up = await runAxi(['up', name, '--wait'], { env: devEnv });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await rows(), 'the developer’s row');
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDownAll, exec, psql, RUN } from './dockerHelpers';

/** Names of the running containers of one Compose project. */
async function running(project: string): Promise<string[]> {
  const r = await exec('docker', [
    'ps',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}}',
  ]);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('two main checkouts on one engine: stopping or wiping one leaves the other alone', () => {
  const sb = sandbox();
  // A namespace of its own, so no other suite's main checkout (`axitest`) is in the way.
  const prefix = `axim${RUN}`;
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: prefix };
  const plain = sb.folder('plain-a');
  const other = sb.folder('other-repo');
  execFileSync('git', ['init', '-q', other]);
  const made: [string, string][] = [];
  after(async () => {
    await composeDownAll(made.map(([project, dir]) => [project, path.join(dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('both run side by side; down --volumes of the second keeps the first running with its data', async () => {
    const a = await runAxiJson(['setup', plain], { env });
    const b = await runAxiJson(['setup', other], { env });
    assert.equal(b.code, 0, b.stderr);
    made.push([a.json.project, plain], [b.json.project, other]);
    assert.deepEqual([a.json.project, b.json.project], [prefix, `${prefix}_other_repo`]);
    for (const name of [a.json.name, b.json.name]) {
      const up = await runAxiJson(['up', name, '--wait'], { env });
      assert.equal(up.code, 0, up.stderr);
    }
    await psql(a.json.ports.postgres, 'create table kept (v int); insert into kept values (7)');
    const before = await running(a.json.project);
    assert.ok(before.length >= 2, before.join(' '));
    const down = await runAxiJson(['down', b.json.name, '--volumes', '--yes'], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await running(b.json.project), []);
    assert.deepEqual(await running(a.json.project), before);
    assert.equal(await psql(a.json.ports.postgres, 'select v from kept'), '7');
  });

  test('doctor finds a registration from before the fix sharing the project, and --fix gives it its own', async () => {
    const file = path.join(sb.env.AXI_HOME!, 'instances.json');
    const reg = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(
      reg.instances.find((i: any) => i.folder === other),
      { main: true, project: prefix },
    );
    writeFileSync(file, JSON.stringify(reg));
    const found = await runAxi(['doctor'], { env });
    assert.equal(found.code, 1, found.stderr);
    assert.match(found.stdout, new RegExp(`^- plain_a and other_repo share the Compose project ${prefix} \\(`, 'm'));
    const fixed = await runAxi(['doctor', '--fix'], { env });
    assert.match(
      fixed.stdout,
      new RegExp(`^fixed: gave other_repo \\(${other}\\) its own project ${prefix}_other_repo$`, 'm'),
    );
    const listed = (await runAxiJson(['list', '--json'], { env })).json;
    assert.deepEqual(listed.map((i: any) => i.project).sort(), [prefix, `${prefix}_other_repo`]);
  });
});

describe("a repository's own compose stack beside another repository's main checkout", () => {
  const sb = sandbox();
  const prefix = `axio${RUN}`;
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: prefix };
  const starter = sb.folder('aegisx-starter');
  const shop = sb.folder('shop');
  for (const dir of [starter, shop]) execFileSync('git', ['init', '-q', dir]);
  writeFileSync(
    path.join(shop, 'docker-compose.yml'),
    'services:\n  cache:\n    image: redis:7-alpine\n    ports:\n      - "6379"\n',
  );
  const made: [string, string][] = [];
  after(async () => {
    await composeDownAll(made.map(([project, dir]) => [project, path.join(dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test("its up, stop and down act on its own stack, never refused for the AegisX stack's names", async () => {
    const a = await runAxiJson(['setup', starter], { env });
    const b = await runAxiJson(['setup', shop, '--from', 'docker-compose.yml'], { env });
    assert.equal(b.code, 0, b.stderr);
    made.push([a.json.project, starter], [b.json.project, shop]);
    assert.equal((await runAxiJson(['up', a.json.name, '--wait'], { env })).code, 0);
    const before = await running(a.json.project);
    for (const args of [
      ['up', b.json.name, '--wait'],
      ['stop', b.json.name],
      ['down', b.json.name, '--volumes', '--yes'],
    ]) {
      const r = await runAxi(args, { env });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      if (args[0] === 'up') assert.equal((await running(b.json.project)).length, 1);
    }
    assert.deepEqual(await running(b.json.project), []);
    assert.deepEqual(await running(a.json.project), before, "the other repository's stack is untouched");
  });
});

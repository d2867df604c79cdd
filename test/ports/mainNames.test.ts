import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxiJson, sandbox } from '../helpers';

/** Container and volume names the instance file gives Docker. */
function dockerNamesIn(folder: string): { containers: string[]; volumes: string[] } {
  const doc = parse(readFileSync(path.join(folder, 'docker-compose.instance.yml'), 'utf8'));
  return {
    containers: Object.values(doc.services).map((s: any) => s.container_name),
    volumes: Object.values(doc.volumes ?? {}).map((v: any) => v.name),
  };
}

describe('two main checkouts never share Docker names (a folder outside git, and a second repository)', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  // No engine needed: names and ports are decided at setup.
  const env = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  const plain = sb.folder('plain-a');
  const other = sb.folder('other-repo');
  execFileSync('git', ['init', '-q', other]);

  test('the first keeps the seed names and base ports; the second gets its own names and a slot, and says why', async () => {
    const a = await runAxiJson(['setup', plain], { env });
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual([a.json.project, a.json.main, a.json.ports.web], ['aegisx', true, 4200]);
    const b = await runAxiJson(['setup', other], { env });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.json.project, 'aegisx_other_repo');
    assert.equal(b.json.main, false);
    assert.ok(
      b.json.notes.some((n: string) => n.includes(`${plain} already uses the main checkout's names`)),
      b.json.notes.join('\n'),
    );
    const portsA = new Set(Object.values(a.json.ports));
    assert.ok(!Object.values(b.json.ports).some((p) => portsA.has(p)), 'a port shared with plain-a');
    const [na, nb] = [dockerNamesIn(plain), dockerNamesIn(other)];
    assert.ok(na.containers.includes('aegisx_postgres') && na.volumes.includes('aegisx_postgres_data'));
    assert.ok(nb.containers.includes('aegisx_other_repo_postgres'), nb.containers.join(' '));
    assert.ok(!nb.containers.some((c) => na.containers.includes(c)), 'a container name shared');
    assert.ok(!nb.volumes.some((v) => na.volumes.includes(v)), 'a volume name shared');
    assert.match(readFileSync(path.join(other, '.env.local'), 'utf8'), /Instance configuration for: \(main checkout\)/);
  });

  test('setting either up again keeps what each has', async () => {
    const a = await runAxiJson(['setup', plain, '--force'], { env });
    const b = await runAxiJson(['setup', other, '--force'], { env });
    assert.deepEqual([a.json.project, b.json.project], ['aegisx', 'aegisx_other_repo']);
    const listed = (await runAxiJson(['list', '--json'], { env })).json;
    assert.deepEqual(listed.map((i: any) => [i.project, i.ports.web === 4200]).sort(), [
      ['aegisx', true],
      ['aegisx_other_repo', false],
    ]);
  });

  test('a registry from before the fix, with both under project aegisx: the later one moves to its own names, the earlier one stays', async () => {
    const file = path.join(sb.env.AXI_HOME!, 'instances.json');
    const reg = JSON.parse(readFileSync(file, 'utf8'));
    const broken = reg.instances.find((i: any) => i.folder === other);
    Object.assign(broken, { main: true, project: 'aegisx', ports: { ...broken.ports, web: 4200 } });
    writeFileSync(file, JSON.stringify(reg));
    const a = await runAxiJson(['setup', plain, '--force'], { env });
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.json.project, 'aegisx');
    assert.ok(
      a.json.notes.some((n: string) => n.includes(`(${other}) shares the project aegisx: run axi setup on it`)),
      a.json.notes.join('\n'),
    );
    const b = await runAxiJson(['setup', other, '--force', '--reassign'], { env });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.json.project, 'aegisx_other_repo');
    assert.notEqual(b.json.ports.web, 4200);
  });

  test('under AXI_PREFIX the same holds in that namespace', async () => {
    const sb2 = sandbox();
    try {
      const env2 = { ...sb2.env, DOCKER_HOST: 'unix:///nonexistent.sock', AXI_PREFIX: 'team' };
      const x = await runAxiJson(['setup', sb2.folder('plain-x')], { env: env2 });
      const y = await runAxiJson(['setup', sb2.folder('plain-y')], { env: env2 });
      assert.equal(y.code, 0, y.stderr);
      assert.deepEqual([x.json.project, y.json.project], ['team', 'team_plain_y']);
    } finally {
      sb2.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';

describe('registry shared by many processes', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('24 `axi setup` processes started at once: 24 distinct allocations, an intact registry and mirror', async () => {
    const dirs = Array.from({ length: 24 }, (_, i) => sb.folder(`aegisx-starter-team${i}`));
    const results = await Promise.all(dirs.map((d) => runAxiJson(['setup', d], { env: sb.env })));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const ports = results.flatMap((r) => Object.values(r.json.ports as Record<string, number>));
    assert.equal(ports.length, 24 * 6);
    assert.equal(new Set(ports).size, ports.length, 'two processes were handed the same port');

    const registry = JSON.parse(readFileSync(path.join(sb.env.AXI_HOME!, 'instances.json'), 'utf8'));
    assert.equal(registry.instances.length, 24);
    assert.deepEqual(
      registry.instances.map((i: { name: string }) => i.name).sort(),
      dirs.map((_, i) => `team${i}`).sort(),
    );
    const mirror = readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8').trim().split('\n');
    assert.equal(mirror.length, 24);
    for (const line of mirror) assert.match(line, /^team\d+(:\d+){6}:\d{4}-\d\d-\d\d_\d\d:\d\d$/);
  });

  test('a corrupt registry is never overwritten; the error names the file and the position', async () => {
    const sb2 = sandbox();
    try {
      const file = path.join(sb2.env.AXI_HOME!, 'instances.json');
      mkdirSync(sb2.env.AXI_HOME!, { recursive: true });
      const broken = '{\n  "version": 1,\n  "instances": [\n    { "name": "x", }\n  ]\n}\n';
      writeFileSync(file, broken);
      for (const args of [['setup', sb2.folder('aegisx-starter-a')], ['list'], ['check-conflicts'], ['remove', 'x']]) {
        const r = await runAxi(args, { env: sb2.env });
        assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1);
        assert.ok(r.stderr.includes(`registry ${file} is not valid JSON`), r.stderr);
        assert.match(r.stderr, /line 4, column \d+/);
        assert.match(r.stderr, /move it aside/);
        assert.equal(readFileSync(file, 'utf8'), broken);
      }
      writeFileSync(file, JSON.stringify({ version: 1, instances: [{ name: 'x' }] }));
      const r = await runAxi(['list'], { env: sb2.env });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /is not an axi registry at instances\.0\.folder/);
    } finally {
      sb2.cleanup();
    }
  });

  test('a lock left by a crashed process is recovered', async () => {
    const sb3 = sandbox();
    try {
      const lock = path.join(sb3.env.AXI_HOME!, 'registry.lock');
      mkdirSync(lock, { recursive: true });
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      const r = await runAxiJson(['setup', sb3.folder('aegisx-starter-after-crash')], { env: sb3.env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.name, 'after_crash');
    } finally {
      sb3.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';

/**
 * Issue 32, case 4: lines of `~/.aegisx-port-registry` that axi did not write are never removed, in each of the
 * three shapes the AegisX scripts have written (the seed's, without pgAdmin, without a timestamp).
 */
describe("the team scripts' port-registry lines survive axi", () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const shapes = {
    seed: 'zeta:5489:6438:3390:4256:4257:5107:2025-09-13_09:15',
    noPgadmin: 'eta:5490:6439:3391:4258:4259:2025-09-14_10:20',
    noStamp: 'theta:5491:6440:3392:4260:4261:5108',
  };
  const names = { seed: 'zeta', noPgadmin: 'eta', noStamp: 'theta' };
  const mirror = () => readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8');

  test('remove NAME of a script line is refused, naming the line; the file is unchanged', async () => {
    const text = `# the team's registry\n${Object.values(shapes).join('\n')}\n`;
    writeFileSync(sb.env.AXI_PORT_REGISTRY!, text);
    for (const [shape, name] of Object.entries(names)) {
      const r = await runAxi(['remove', name], { env: sb.env });
      assert.equal(r.code, 1, `${shape}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${name} is line \\d+ of .*written by the team's scripts`));
      assert.equal(mirror(), text, shape);
    }
  });

  test('an instance of the same name registered, then removed: the script line is still there, verbatim', async () => {
    for (const [shape, name] of Object.entries(names)) {
      const suffix = name.replace(/^aegisx-starter-/, '');
      const s = await runAxiJson(['setup', sb.folder(`aegisx-starter-${suffix}`), '--name', name], { env: sb.env });
      assert.equal(s.code, 0, `${shape}: ${s.stderr}`);
      assert.ok(
        mirror()
          .split('\n')
          .includes(shapes[shape as keyof typeof shapes]),
        `${shape} after setup`,
      );
      const r = await runAxi(['remove', name, '--keep-containers'], { env: sb.env });
      assert.equal(r.code, 0, `${shape}: ${r.stderr}`);
      const lines = mirror().split('\n');
      assert.ok(lines.includes(shapes[shape as keyof typeof shapes]), `${shape} after remove:\n${mirror()}`);
      assert.ok(!lines.some((l) => l.startsWith(`${name}:`) && l !== shapes[shape as keyof typeof shapes]));
    }
    assert.ok(mirror().split('\n').includes("# the team's registry"), 'the comment line is kept');
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cksum } from '../../main/core/util/cksum';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { adoptedSlot } from '../../main/core/ports/portClaims';
import { AEGISX_PRESET, basePorts, portsForSlot } from '../../main/core/project/preset';
import { holdPort, runAxi, runAxiJson, sandbox } from '../helpers';

/** Suffixes whose seed slot is `slot` (search by hash, so the test reads like the seed's examples). */
function suffixForSlot(slot: number, avoid: Set<string> = new Set()): string {
  for (let i = 0; ; i++) {
    const s = `feature-${i}`;
    if (!avoid.has(s) && cksum(s) % 100 === slot) return s;
  }
}

describe('port allocation', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('the seed formula alone overlaps: slot h admin == slot h+1 web', () => {
    assert.equal(portsForSlot(AEGISX_PRESET, 10).admin, portsForSlot(AEGISX_PRESET, 11).web);
  });

  test('adopting running containers: one port moved off its slot (setup --reassign) keeps the slot and every port', () => {
    const slot = portsForSlot(AEGISX_PRESET, 29);
    const published = {
      postgres: slot.postgres!,
      redis: slot.redis!,
      pgadmin: portsForSlot(AEGISX_PRESET, 30).pgadmin!,
    };
    assert.deepEqual(adoptedSlot(AEGISX_PRESET, false, published), { slot: 29, ports: { ...slot, ...published } });
    const none = adoptedSlot(AEGISX_PRESET, false, { postgres: 1 });
    assert.deepEqual([none.slot, none.ports], [null, { postgres: 1 }]);
  });

  test('instances on adjacent seed slots never share a port', async () => {
    const svc = sb.service();
    const a = suffixForSlot(40);
    const b = suffixForSlot(41);
    const ra = await svc.setup(sb.folder(`aegisx-starter-${a}`), { env: {} });
    const rb = await svc.setup(sb.folder(`aegisx-starter-${b}`), { env: {} });
    assert.equal(ra.slot, 40);
    assert.notEqual(rb.slot, 41, 'slot 41 shares web 4241 with slot 40 admin, so it must move');
    const all = [...Object.values(ra.ports), ...Object.values(rb.ports)];
    assert.equal(new Set(all).size, all.length);
  });

  // The seed's layout overlaps neighbours (web/admin), so 100 slots hold at most 50 instances; 30 always fit.
  test('30 instances: every port distinct, none on the main checkout base ports', async () => {
    const svc = sb.service();
    for (let i = 0; i < 28; i++) await svc.setup(sb.folder(`aegisx-starter-bulk${i}`), { env: {} });
    const list = await svc.list();
    assert.equal(list.length, 30);
    const ports = list.flatMap((i) => Object.values(i.ports));
    assert.equal(new Set(ports).size, ports.length, 'a port was handed out twice');
    const bases = new Set(Object.values(basePorts(AEGISX_PRESET)));
    assert.ok(ports.every((p) => !bases.has(p)));
  });

  test('a port held by another program is skipped at setup and reported by check-conflicts', async () => {
    const sb2 = sandbox();
    try {
      const suffix = 'held-port';
      const slot = preferredSlot(AEGISX_PRESET, suffix);
      const blocked = portsForSlot(AEGISX_PRESET, slot).redis!;
      const holder = await holdPort(blocked);
      try {
        const r = await runAxiJson(['setup', sb2.folder(`aegisx-starter-${suffix}`)], { env: sb2.env });
        assert.equal(r.code, 0, r.stderr);
        assert.notEqual(r.json.slot, slot);
        assert.ok(!Object.values(r.json.ports).includes(blocked));
      } finally {
        await holder.stop();
      }

      const list = (await runAxiJson(['list'], { env: sb2.env })).json;
      const taken = list[0].ports.api as number;
      const thief = await holdPort(taken);
      try {
        const cc = await runAxiJson(['check-conflicts'], { env: sb2.env });
        assert.equal(cc.code, 1);
        assert.deepEqual(cc.json.conflicts, [
          {
            port: taken,
            kind: 'host',
            service: 'api',
            instances: ['held_port'],
            process: { pid: thief.pid, name: 'node' },
          },
        ]);
        const human = await runAxi(['check-conflicts'], { env: sb2.env });
        assert.match(human.stdout, new RegExp(`${taken}\\s+host\\s+api\\s+held_port\\s+node \\(pid ${thief.pid}\\)`));

        // Stable: setup again keeps the recorded ports even while something holds one.
        const again = await runAxiJson(['setup', list[0].folder], { env: sb2.env });
        assert.deepEqual(again.json.ports, list[0].ports);
        assert.equal(again.json.allocated, false);
      } finally {
        await thief.stop();
      }
      assert.equal((await runAxi(['check-conflicts'], { env: sb2.env })).code, 0);
    } finally {
      sb2.cleanup();
    }
  });

  test('the main checkout gets the base ports, or names who holds one', async () => {
    const sb3 = sandbox();
    try {
      const dir = sb3.folder('aegisx-starter');
      const holder = await holdPort(4200);
      try {
        const r = await runAxi(['setup', dir], { env: sb3.env });
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          new RegExp(`^axi: port 4200 \\(web\\) of the main checkout is in use by node \\(pid ${holder.pid}\\)`),
        );
        assert.equal(r.stderr.trim().split('\n').length, 1);
        assert.ok(!existsSync(path.join(dir, '.env.local')));
        const re = await runAxiJson(['setup', dir, '--reassign'], { env: sb3.env });
        assert.equal(re.code, 0, re.stderr);
        assert.notEqual(re.json.ports.web, 4200);
      } finally {
        await holder.stop();
      }
      const back = await runAxiJson(['setup', dir, '--reassign'], { env: sb3.env });
      assert.deepEqual(back.json.ports, basePorts(AEGISX_PRESET));
    } finally {
      sb3.cleanup();
    }
  });

  test("the seed scripts' registry lines are reservations, kept verbatim", async () => {
    const sb4 = sandbox();
    try {
      const suffix = 'reserved';
      const slot = preferredSlot(AEGISX_PRESET, suffix);
      const p = portsForSlot(AEGISX_PRESET, slot);
      const line = `legacy:${p.postgres}:${p.redis}:${p.api}:${p.web}:${p.admin}:${p.pgadmin}:2025-09-13_09:15`;
      writeFileSync(sb4.env.AXI_PORT_REGISTRY!, `${line}\n# a comment the team keeps\n`);
      const r = await runAxiJson(['setup', sb4.folder(`aegisx-starter-${suffix}`)], { env: sb4.env });
      assert.notEqual(r.json.slot, slot);
      const mirror = readFileSync(sb4.env.AXI_PORT_REGISTRY!, 'utf8').trim().split('\n');
      assert.ok(mirror.includes(line));
      assert.ok(mirror.includes('# a comment the team keeps'));
      const ours = mirror.find((l) => l.startsWith('reserved:'))!;
      const q = r.json.ports;
      assert.match(
        ours,
        new RegExp(
          `^reserved:${q.postgres}:${q.redis}:${q.api}:${q.web}:${q.admin}:${q.pgadmin}:\\d{4}-\\d\\d-\\d\\d_\\d\\d:\\d\\d$`,
        ),
      );
      // A line axi did not write is never removed by it (issue 32): remove says whose it is.
      const rm = await runAxi(['remove', 'legacy'], { env: sb4.env });
      assert.equal(rm.code, 1);
      assert.match(rm.stderr, /legacy is line \d+ of .* written by the team's scripts/);
      assert.ok(readFileSync(sb4.env.AXI_PORT_REGISTRY!, 'utf8').split('\n').includes(line));
    } finally {
      sb4.cleanup();
    }
  });

  test('when all 100 slots are unusable: a clear error and nothing written', async () => {
    const sb5 = sandbox();
    try {
      const lines = Array.from({ length: 100 }, (_, h) => {
        const p = portsForSlot(AEGISX_PRESET, h);
        return `old${h}:${p.postgres}:0:0:0:0:0:2025-01-01_00:00`;
      });
      writeFileSync(sb5.env.AXI_PORT_REGISTRY!, lines.join('\n') + '\n');
      const dir = sb5.folder('aegisx-starter-one-too-many');
      const r = await runAxi(['setup', dir], { env: sb5.env });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^axi: all 100 port slots are taken/);
      assert.ok(!existsSync(path.join(dir, '.env.local')));
      assert.ok(!existsSync(path.join(dir, 'docker-compose.instance.yml')));
      assert.ok(!existsSync(sb5.env.AXI_HOME + '/instances.json'));
      assert.equal(readFileSync(sb5.env.AXI_PORT_REGISTRY!, 'utf8'), lines.join('\n') + '\n');
    } finally {
      sb5.cleanup();
    }
  });
});

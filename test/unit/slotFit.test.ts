import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostPortProbe } from '../../main/core/ports/hostPorts';
import { adoptedSlot } from '../../main/core/ports/portClaims';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { reassignTaken } from '../../main/core/ports/reassign';
import { AEGISX_PRESET as P, basePorts, portsForSlot } from '../../main/core/project/preset';

/** A machine where only `held` ports have a listener. */
const probeHolding = (...held: number[]): HostPortProbe => ({
  isFree: async (port) => !held.includes(port),
  owners: async (ports) => new Map(ports.filter((p) => held.includes(p)).map((p) => [p, { pid: 7, name: 'node' }])),
});

describe('the slot a set of ports belongs to', () => {
  test('a main checkout moved off a base port records the slot its moved port came from, not the preferred one', async () => {
    const bases = basePorts(P);
    const start = preferredSlot(P, 'aegisx-starter');
    // The first slot after the preferred one has its web port taken too: web lands two slots on.
    const skipped = portsForSlot(P, (start + 1) % P.slotCount).web!;
    const taken = new Map([[skipped, 'instance other (web)']]);
    const r = await reassignTaken({
      preset: P,
      current: bases,
      slot: null,
      main: true,
      suffix: 'aegisx-starter',
      taken,
      probe: probeHolding(bases.web!),
      own: new Set(),
    });
    const landed = (start + 2) % P.slotCount;
    assert.equal(r.ports.web, portsForSlot(P, landed).web);
    assert.equal(r.slot, landed, `web ${r.ports.web} is slot ${landed}'s, the preferred slot is ${start}`);
    // Once the base is free again it goes home, and holds no slot.
    const home = await reassignTaken({
      ...r,
      preset: P,
      current: r.ports,
      main: true,
      suffix: 'aegisx-starter',
      taken,
      probe: probeHolding(),
      own: new Set(),
    });
    assert.deepEqual([home.slot, home.ports], [null, bases]);
  });

  test('adopting: a majority of the known ports picks the slot; one port of six is no match, and says so', () => {
    const slot = portsForSlot(P, 29);
    const published = { postgres: slot.postgres!, redis: slot.redis!, pgadmin: portsForSlot(P, 30).pgadmin! };
    assert.deepEqual(adoptedSlot(P, false, published), { slot: 29, ports: { ...slot, ...published } });
    const oneOfSix = { ...portsForSlot(P, 29), redis: 39101, api: 39102, web: 39103, admin: 39104, pgadmin: 39105 };
    const r = adoptedSlot(P, false, oneOfSix);
    assert.equal(r.slot, null);
    assert.deepEqual(r.ports, oneOfSix, 'its ports are kept as they are');
    assert.deepEqual(r.notes, [
      "no slot: its ports match no slot's layout by a majority (at most 1 of 6, in slot 29); kept as they are",
    ]);
    // Half is not a majority either.
    const half = { ...portsForSlot(P, 29), api: 39102, web: 39103, admin: 39104 };
    assert.equal(adoptedSlot(P, false, half).slot, null);
    assert.equal(adoptedSlot(P, false, { postgres: 1 }).slot, null);
  });

  test('adopting a main checkout: on its bases no slot; off some, the slot of the moved ones, not the bases first', () => {
    const bases = basePorts(P);
    assert.deepEqual(adoptedSlot(P, true, bases), { slot: null, ports: bases });
    const moved = { ...bases, web: portsForSlot(P, 61).web!, postgres: portsForSlot(P, 61).postgres! };
    assert.deepEqual(adoptedSlot(P, true, moved), { slot: 61, ports: moved });
  });
});

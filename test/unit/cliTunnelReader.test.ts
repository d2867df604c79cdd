import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cliTunnelReader, markCliTunnel } from '../../main/docker/remote/cliTunnels';

/** Polls `check` until it holds (the folder watch answers within milliseconds), or fails after 2 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let t = 0; t < 200 && !check(); t++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

test('cliTunnelReader: a marker written or removed after the router read it is seen (the folder watch)', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'axi-tunnels-'));
  const reader = cliTunnelReader(home);
  try {
    assert.equal(reader.open('shop/fix-login', 4207), false);
    const unmark = markCliTunnel(home, 'shop/fix-login', [4207]);
    await until(() => reader.open('shop/fix-login', 4207), 'the new marker is seen');
    assert.equal(reader.open('shop/fix-login', 4208), false, 'a port the tunnel does not forward');
    assert.equal(reader.open('shop/other', 4207), false, 'another instance');
    unmark();
    await until(() => !reader.open('shop/fix-login', 4207), 'the removed marker is gone');
  } finally {
    reader.close();
    rmSync(home, { recursive: true, force: true });
  }
});

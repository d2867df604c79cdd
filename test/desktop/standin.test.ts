import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import { AxiError } from '../../main/shared/errors';
import { invokeMain } from './standin/app';
import electron from './standin/electron';
import { unimplementedReads } from './standin/strict';

// The stand-in's own rules, without a window or an engine: what makes the desktop scenario trustworthy.
test('a read of Electron API the stand-in does not implement throws and is remembered', () => {
  const e = electron as unknown as Record<string, unknown>;
  assert.throws(() => e.screen, /electron\.screen is not implemented/);
  const app = electron.app as unknown as Record<string, unknown>;
  assert.throws(() => app.getGPUInfo, /app\.getGPUInfo is not implemented/);
  assert.equal(unimplementedReads().length, 2);
  assert.throws(() => electron.Menu.buildFromTemplate([{ label: 'x', role: 'copy' }]), /menu role copy/);
});

test('ipcMain.handle as Electron answers invoke: copies both ways; a thrown error keeps its message only', async () => {
  const event = {} as IpcMainInvokeEvent;
  let seen: unknown;
  electron.ipcMain.handle('t:echo', (_e, arg: unknown) => ((seen = arg), { back: new Date(0) }));
  const arg = { a: [1] };
  const r = (await invokeMain('t:echo', event, [arg])) as { back: Date };
  assert.notEqual(seen, arg, 'a copy, not the object');
  assert.deepEqual(seen, arg);
  assert.ok(r.back instanceof Date);
  await assert.rejects(invokeMain('t:echo', event, [() => 1]), { name: 'DataCloneError' });
  electron.ipcMain.handle('t:fail', () => {
    throw new AxiError('PORT_CONFLICT', 'port 4200 is taken');
  });
  const err = (await invokeMain('t:fail', event, []).catch((e: unknown) => e)) as Error & { code?: string };
  assert.equal(err.message, "Error invoking remote method 't:fail': AxiError: port 4200 is taken");
  assert.equal(err.code, undefined, 'the code does not cross');
});

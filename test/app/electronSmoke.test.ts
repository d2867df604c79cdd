import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, sandbox } from '../helpers';

/** The Electron binary, if its installer could download it (it cannot on machines without that network). */
function electronBinary(): string | undefined {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

// The tray is tested without Electron, through setupTray's injected TrayIcon (trayAndNotifications.test.ts).
test('Electron smoke: the window opens, the overview lists instances', async (t) => {
  const bin = electronBinary();
  if (!bin) {
    t.skip(
      'SKIPPED: the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD; its download is blocked), so the app cannot be launched',
    );
    return;
  }
  const sb = sandbox();
  try {
    const dir = sb.folder('aegisx-starter-smoke');
    await sb.service().setup(dir, { env: {} });
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: bin,
      args: [ROOT, '--no-sandbox'],
      env: { ...sb.env, AXI_PREFIX: 'axitest' },
    });
    try {
      const win = await app.firstWindow();
      await win.getByRole('article', { name: 'instance smoke' }).waitFor({ timeout: 30_000 });
      assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
      const bridge = await win.evaluate(() => Object.keys((globalThis as unknown as { axi: object }).axi).sort());
      assert.ok(bridge.includes('getOverview') && bridge.includes('pathForFile') && !bridge.includes('ipcRenderer'));
    } finally {
      await app.close();
    }
  } finally {
    sb.cleanup();
  }
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, clipboard, dialog, ipcMain, Notification, shell } from 'electron';
import { AppController } from '../api/controller';
import type { NotificationView, Overview } from '../api/table';
import { createEngine } from '../docker/engine';
import { setupIpc } from './ipc';
import { PreferenceStore } from './preferences';
import { revealFolder } from './reveal';
import { TrayMenu } from './tray';
import { setupWindow } from './window';
import { externalUrlAllowed } from './windowPolicy';

// Electron main only wires things: the engine and every decision live elsewhere.
const distDir = path.resolve(__dirname, '..', '..');
const iconsDir = path.join(app.isPackaged ? process.resourcesPath + '/app.asar.unpacked' : path.resolve(distDir, '..'), 'assets', 'icons');

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();
  const { default: Store } = await import('electron-store'); // ESM-only
  const prefs = new PreferenceStore(new Store({ name: 'preferences' }) as unknown as ConstructorParameters<typeof PreferenceStore>[0]);
  app.setLoginItemSettings({ openAtLogin: prefs.get('startAtLogin') });

  const engine = createEngine({ dockerEndpoint: prefs.get('dockerEndpoint') ?? undefined });
  const controller = new AppController({
    engine,
    revealFolder: async (folder) => revealFolder(folder, { exists: existsSync, show: (f) => shell.showItemInFolder(f) }),
    pickFolders: async () => (await dialog.showOpenDialog({ title: 'Add repository folders', properties: ['openDirectory', 'multiSelections'] })).filePaths,
  });
  const windows = setupWindow({ prefs, distDir, iconsDir, onFocus: (instance) => controller.emitEvent('focus', { instance }) });
  setupIpc(ipcMain, controller, windows);

  const run = (p: Promise<unknown>) => void p.catch(() => undefined); // failures reach the window and notifications
  const tray = new TrayMenu(
    {
      start: (n) => run(controller.handlers.startInstance(n)),
      stop: (n) => run(controller.handlers.stopInstance(n)),
      reset: (n) => windows.show(n), // confirmation lives in the window's reset dialog
      openFolder: (n) => run(controller.handlers.revealFolder(n)),
      openUrl: (u) => externalUrlAllowed(u) && void shell.openExternal(u),
      copy: (t) => clipboard.writeText(t),
      showLogs: (n) => windows.show(n),
      startAll: () => run(controller.handlers.startAll()),
      stopAll: () => run(controller.handlers.stopAll()),
      addRepository: async () => {
        const r = await dialog.showOpenDialog({ title: 'Add repository folders', properties: ['openDirectory', 'multiSelections'] });
        for (const dir of r.filePaths) run(controller.handlers.registerFolder({ dir }));
      },
      openDashboard: () => windows.show(),
      quit: () => app.quit(),
    },
    iconsDir,
  );
  (globalThis as { axiTray?: TrayMenu }).axiTray = tray; // lets the Electron smoke test find the tray
  controller.on('overview', (o: Overview) => tray.update(o));
  controller.on('notification', (n: NotificationView) => {
    if (!prefs.get('notifications') || !Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body });
    note.on('click', () => windows.show(n.instance));
    note.show();
  });

  app.on('second-instance', () => windows.show());
  app.on('window-all-closed', () => undefined); // the tray keeps the app alive
  app.on('before-quit', () => {
    windows.setQuitting();
    controller.stop();
    tray.destroy();
  });
  await controller.start();
  windows.show();
}

void main();

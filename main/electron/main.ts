import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, shell, Tray } from 'electron';
import { setupController } from '../api/controller/controller';
import { routerBeside } from '../router/run';
import { resolvePaths } from '../core/registry/paths';
import { FileSettingsStore } from '../core/registry/settingsFile';
import { createBackend } from '../docker/lifecycle/backend';
import { setupIpc } from './ipc';
import { autostartEntry, autostartFile, LOGIN_UNSUPPORTED, loginItemWay, setXdgAutostart } from './loginItem';
import { PreferenceStore } from './preferences';
import { revealFolder } from './reveal';
import { stackQuestion } from './stackQuestion';
import { setupTray, type TrayIcon } from './tray';
import { setupWindow } from './window';
import { externalUrlAllowed, wantsOsNotification } from './windowPolicy';

// Electron main only wires things: the engine and every decision live elsewhere.
const distDir = path.resolve(__dirname, '..', '..');
const iconsDir = path.join(
  app.isPackaged ? process.resourcesPath + '/app.asar.unpacked' : path.resolve(distDir, '..'),
  'assets',
  'icons',
);

/** The tray icon from Electron's Tray; macOS gets template images (the menu bar tints them). */
function electronTray(iconPath: string): TrayIcon {
  const image = (p: string) => {
    const img = nativeImage.createFromPath(p);
    if (process.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  const tray = new Tray(image(iconPath));
  let menuOpen: (() => void) | undefined;
  return {
    setIcon: (p) => tray.setImage(image(p)),
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (template) => {
      const menu = Menu.buildFromTemplate(template);
      menu.on('menu-will-show', () => menuOpen?.());
      tray.setContextMenu(menu);
    },
    onMenuOpen: (listener) => (menuOpen = listener),
    onClick: (listener) => void tray.on('click', listener),
    destroy: () => tray.destroy(),
  };
}

/** Start at login: Electron's login item on macOS and Windows; an XDG autostart entry on Linux. */
function loginHost(): { setStartAtLogin(on: boolean): void; loginUnsupported?: string } {
  const way = loginItemWay(process.platform);
  if (way === 'electron') return { setStartAtLogin: (on) => app.setLoginItemSettings({ openAtLogin: on }) };
  if (way === null) return { setStartAtLogin: () => undefined, loginUnsupported: LOGIN_UNSUPPORTED };
  // Packaged: the AppImage (its path survives updates) or the binary; from a checkout: electron and the app folder.
  const exec = app.isPackaged
    ? [process.env.APPIMAGE || process.execPath]
    : [process.execPath, path.resolve(distDir, '..')];
  const entry = autostartEntry({ title: 'AegisX Instances', exec, comment: 'Per-worktree dev stacks in the tray' });
  return { setStartAtLogin: (on) => setXdgAutostart(autostartFile('aegisx-instances'), on ? entry : null) };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();
  const { default: Store } = await import('electron-store'); // ESM-only
  // The Docker endpoint and default bind in $AXI_HOME/settings.json (what axi reads); the app's own in electron-store.
  const prefs = new PreferenceStore(new Store({ name: 'preferences' }), new FileSettingsStore(resolvePaths()));
  await prefs.migrate();
  const backend = createBackend({ settings: prefs });
  const controller = setupController({
    backend,
    recheckMs: Number(process.env.AXI_RECHECK_MS) || undefined, // as under `axi serve`
    host: { kind: 'app', ...loginHost() },
    revealFolder: (folder) =>
      Promise.resolve(revealFolder(folder, { exists: existsSync, show: (f) => shell.showItemInFolder(f) })),
    pickFolders: async () =>
      (
        await dialog.showOpenDialog({
          title: 'Add repository folders',
          properties: ['openDirectory', 'multiSelections'],
        })
      ).filePaths,
  });
  const windows = setupWindow({
    prefs,
    distDir,
    iconsDir,
    onFocus: (instance) => controller.emit('focus', { instance }),
    onSettings: () => controller.emit('openPanel', { panel: 'settings' }),
    onTrust: (instance) => controller.emit('openPanel', { panel: 'trust', instance }),
  });
  setupIpc(ipcMain, controller, windows);

  const run = (p: Promise<unknown>) => void p.catch(() => undefined); // failures reach the window and notifications
  const tray = setupTray({
    actions: {
      start: (n) => run(controller.handlers.startInstance(n)),
      stop: (n) => run(controller.handlers.stopInstance(n)),
      reset: (n) => windows.show(n), // confirmation lives in the window's reset dialog
      openFolder: (n) => run(controller.handlers.revealFolder(n)),
      openUrl: (u) => externalUrlAllowed(u) && void shell.openExternal(u),
      copy: (t) => run(clipboard.writeText(t)),
      showLogs: (n) => windows.show(n),
      reviewHostAccess: (n) => windows.showTrust(n), // a person answers there, never the tray on its own
      startAll: () => run(controller.handlers.startAll()),
      stopAll: () => run(controller.handlers.stopAll()),
      // Under the operation tracker like the window's calls; a refused folder becomes a notification.
      addRepository: () =>
        run(
          dialog
            .showOpenDialog({ title: 'Add repository folders', properties: ['openDirectory', 'multiSelections'] })
            .then((r) =>
              controller.addFolders(r.filePaths, async (preview) => {
                const { answers, ...question } = stackQuestion(preview);
                const { response } = await dialog.showMessageBox({ type: 'question', ...question });
                return answers[response] ?? null;
              }),
            ),
        ),
      openDashboard: () => windows.show(),
      setNotifications: (on) => run(controller.handlers.updateSettings({ notifications: on })),
      setStartAtLogin: (on) => run(controller.handlers.updateSettings({ startAtLogin: on })),
      openSettings: () => windows.showSettings(),
      quit: () => app.quit(),
    },
    iconsDir,
    platform: process.platform,
    createTray: electronTray,
    controller,
    settings: controller.settings.current(),
  });
  // Only what the notifications setting lets through reaches here (the controller gates it, toasts included).
  controller.on('notification', (n) => {
    if (!Notification.isSupported() || !wantsOsNotification(windows.focused())) return;
    const note = new Notification({ title: n.title, body: n.body });
    note.on('click', () => windows.show(n.instance));
    note.show();
  });

  app.on('second-instance', () => windows.show());
  app.on('window-all-closed', () => undefined); // the tray keeps the app alive
  const running: { router?: import('../router/run').RouterRun } = {};
  app.on('before-quit', () => {
    windows.setQuitting();
    void running.router?.close();
    controller.stop();
    tray.destroy();
  });
  await controller.start();
  running.router = await routerBeside({
    controller,
    home: backend.service.paths.home,
    settings: controller.settings.current(),
    out: (line) => console.log(line),
  });
  windows.show();
}

void main();

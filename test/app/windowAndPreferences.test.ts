import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FileSettingsStore } from '../../main/core/registry/settingsFile';
import { PreferenceStore } from '../../main/electron/preferences';
import { revealFolder } from '../../main/electron/reveal';
import {
  DEFAULT_BOUNDS,
  externalUrlAllowed,
  isTrustedSender,
  wantsOsNotification,
  windowOptions,
} from '../../main/electron/windowPolicy';
import { ROOT } from '../helpers';

describe('window policy', () => {
  test('isolated, sandboxed, no Node in the page', () => {
    const o = windowOptions('/app/preload.js', undefined);
    assert.deepEqual(
      [
        o.webPreferences?.contextIsolation,
        o.webPreferences?.sandbox,
        o.webPreferences?.nodeIntegration,
        o.webPreferences?.webviewTag,
        o.webPreferences?.preload,
      ],
      [true, true, false, false, '/app/preload.js'],
    );
    assert.equal(o.width, 1280);
    assert.equal(o.height, 800);
    assert.equal(o.show, false);
    assert.equal(
      windowOptions('/p', { width: 10, height: 10 }).width,
      DEFAULT_BOUNDS.width,
      'bounds too small to use are ignored',
    );
    assert.equal(windowOptions('/p', { x: 5, y: 6, width: 900, height: 700 }).x, 5);
  });

  test('OS notifications only while the window is not in front (in front, the window shows the news in place)', () => {
    assert.equal(wantsOsNotification(true), false);
    assert.equal(wantsOsNotification(false), true);
  });

  test('only http(s) links go out; only our page may call', () => {
    assert.ok(externalUrlAllowed('http://localhost:4233'));
    assert.ok(externalUrlAllowed('https://example.com/a'));
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url'])
      assert.ok(!externalUrlAllowed(u), u);
    const page = 'file:///opt/app/dist/renderer/index.html';
    assert.ok(isTrustedSender('file:///opt/app/dist/renderer/index.html#x', page));
    assert.ok(!isTrustedSender('file:///tmp/evil.html', page));
    assert.ok(!isTrustedSender('https://evil.example/', page));
    assert.ok(!isTrustedSender(undefined, page));
  });

  test('the page carries a strict Content-Security-Policy', () => {
    const html = readFileSync(path.join(ROOT, 'renderer', 'index.html'), 'utf8');
    const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });
});

describe('revealing a folder', () => {
  const shown: string[] = [];
  const deps = { exists: existsSync, show: (f: string) => void shown.push(f) };

  test('an existing folder is shown in the file manager, a *.app folder included', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-reveal-'));
    try {
      const app = path.join(dir, 'Tool.app');
      mkdirSync(app);
      shown.length = 0;
      revealFolder(app, deps);
      assert.deepEqual(shown, [app]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing folder is a NOT_FOUND error naming it, and nothing is shown', () => {
    const gone = path.join(os.tmpdir(), 'axi-reveal-gone', 'repo');
    shown.length = 0;
    assert.throws(() => revealFolder(gone, deps), {
      name: 'AxiError',
      code: 'NOT_FOUND',
      message: `folder does not exist: ${gone}`,
    });
    assert.deepEqual(shown, []);
  });

  test('the Electron main process reveals with showItemInFolder, never openPath (which launches a .app on macOS)', () => {
    const main = readFileSync(path.join(ROOT, 'main', 'electron', 'main.ts'), 'utf8');
    assert.doesNotMatch(main, /openPath/);
    assert.match(main, /revealFolder: \(folder\) =>\s+Promise\.resolve\(revealFolder\(folder, /);
    assert.match(main, /shell\.showItemInFolder\(/);
  });
});

describe('preferences', () => {
  const memory = () => {
    const m = new Map<string, unknown>();
    return {
      get: (k: string) => m.get(k),
      set: (k: string, v: unknown) => void m.set(k, v),
      delete: (k: string) => void m.delete(k),
      m,
    };
  };
  const axiHome = () => mkdtempSync(path.join(os.tmpdir(), 'axi-prefs-'));

  test('defaults, round trips, and a bad stored value reads as its default, reported', async () => {
    const s = memory();
    const home = axiHome();
    const prefs = new PreferenceStore(s, new FileSettingsStore({ home }));
    assert.deepEqual(prefs.read(), {
      settings: {
        notifications: true,
        startAtLogin: false,
        dockerEndpoint: null,
        defaultBind: '127.0.0.1',
        listView: 'cards',
        routerPort: null,
        routerTls: false,
      },
      problem: null,
    });
    assert.equal(prefs.windowBounds(), undefined);
    await prefs.update({ notifications: false, dockerEndpoint: 'unix:///run/user/1000/podman/podman.sock' });
    prefs.setWindowBounds({ x: 1, y: 2, width: 1000, height: 700 });
    assert.equal(prefs.read().settings.notifications, false);
    assert.equal(prefs.read().settings.dockerEndpoint, 'unix:///run/user/1000/podman/podman.sock');
    assert.deepEqual(prefs.windowBounds(), { x: 1, y: 2, width: 1000, height: 700 });
    // The endpoint is axi's too: in $AXI_HOME/settings.json, not in electron-store.
    assert.deepEqual(JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')), {
      dockerEndpoint: 'unix:///run/user/1000/podman/podman.sock',
    });
    assert.equal(s.m.has('dockerEndpoint'), false);
    s.m.set('startAtLogin', 'yes please');
    s.m.set('windowBounds', { width: 'wide' });
    const r = prefs.read();
    assert.equal(r.settings.startAtLogin, false);
    assert.match(
      r.problem ?? '',
      /startAtLogin must be true or false, not "yes please" \(the default, false, is in use\)/,
    );
    assert.equal(prefs.windowBounds(), undefined);
    rmSync(home, { recursive: true, force: true });
  });

  test('an older install: the endpoint and bind move from electron-store to settings.json, which wins if it has its own', async () => {
    const s = memory();
    s.m.set('dockerEndpoint', 'tcp://10.0.0.5:2375');
    s.m.set('defaultBind', '0.0.0.0');
    s.m.set('notifications', false);
    const home = axiHome();
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ defaultBind: '127.0.0.2' }));
    const prefs = new PreferenceStore(s, new FileSettingsStore({ home }));
    await prefs.migrate();
    assert.deepEqual(JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')), {
      defaultBind: '127.0.0.2',
      dockerEndpoint: 'tcp://10.0.0.5:2375',
    });
    assert.deepEqual([...s.m.keys()], ['notifications'], 'electron-store keeps only the app’s own');
    assert.equal(prefs.read().settings.notifications, false);
    rmSync(home, { recursive: true, force: true });
  });
});

test('the engine never imports electron (it runs in plain Node)', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) {
        if (f.name !== 'electron') walk(p);
      } else if (p.endsWith('.ts') && /from 'electron'|require\('electron'\)/.test(readFileSync(p, 'utf8')))
        offenders.push(p);
    }
  };
  walk(path.join(ROOT, 'main'));
  assert.deepEqual(offenders, []);
});

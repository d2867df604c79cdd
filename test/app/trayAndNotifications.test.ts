import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notificationsFor } from '../../main/api/controller/notifications';
import { instanceView } from '../unit/views';
import type { InstanceView, Overview, SettingsView } from '../../main/shared/api/table';
import { supportedSettings } from '../../main/api/handlers/settings';
import { DEFAULT_SETTINGS } from '../../main/shared/schemas/settings';
import { StatsSampler } from '../../main/api/overview/statsSampler';
import { setupTray } from '../../main/electron/tray';
import {
  buildTrayTemplate,
  trayIconPath,
  trayIconState,
  trayTooltip,
  type TrayActions,
} from '../../main/electron/trayMenu';

function inst(
  name: string,
  status: InstanceView['status'],
  services: Record<string, [string, InstanceView['services'][string]['health']]> = {},
  extra: Partial<InstanceView> = {},
): InstanceView {
  return instanceView(name, {
    status,
    urls: {
      DATABASE_URL: 'postgresql://postgres:postgres@localhost:5466/aegisx_db',
      WEB_URL: 'http://localhost:4233',
      API_URL: 'http://localhost:3367',
    },
    services: Object.fromEntries(Object.entries(services).map(([k, [state, health]]) => [k, { state, health }])),
    ...extra,
  });
}
const ov = (instances: InstanceView[], extra: Partial<Overview> = {}): Overview => ({
  engine: 'connected',
  engines: [],
  instances,
  conflicts: [],
  refreshError: null,
  ...extra,
});
const healthy = {
  postgres: ['running', 'healthy'] as [string, 'healthy'],
  pgadmin: ['running', 'none'] as [string, 'none'],
};

function recorder(): { actions: TrayActions; calls: string[] } {
  const calls: string[] = [];
  const rec =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push(`${name}(${args.join(',')})`);
  const actions = Object.fromEntries(
    [
      'start',
      'stop',
      'reset',
      'openFolder',
      'openUrl',
      'copy',
      'showLogs',
      'startAll',
      'stopAll',
      'addRepository',
      'openDashboard',
      'setNotifications',
      'setStartAtLogin',
      'openSettings',
      'quit',
    ].map((k) => [k, rec(k)]),
  ) as unknown as TrayActions;
  return { actions, calls };
}

const SETTINGS = { notifications: true, startAtLogin: false };

describe('tray menu', () => {
  test('each instance is a running ⇄ stopped toggle with its submenu; then the global actions', () => {
    const { actions, calls } = recorder();
    const menu = buildTrayTemplate(ov([inst('auth', 'running', healthy), inst('pay', 'stopped')]), actions, SETTINGS);
    const labels = menu.map((m) => m.label ?? m.type);
    assert.deepEqual(labels, [
      'auth',
      'pay (stopped)',
      'separator',
      'Start all',
      'Stop all',
      'separator',
      'Add repository…',
      'Open dashboard',
      'separator',
      'Notifications',
      'Start at login',
      'Settings…',
      'separator',
      'Quit AegisX Instances',
    ]);
    const auth = menu[0]!.submenu as Electron.MenuItemConstructorOptions[];
    assert.deepEqual(
      auth.map((m) => m.label ?? m.type),
      [
        'Running — click to stop',
        'separator',
        'Start',
        'Stop',
        'Reset…',
        'separator',
        'Open folder',
        'Open web (4233)',
        'Open API (3367)',
        'Copy DATABASE_URL',
        'Show logs',
      ],
    );
    assert.equal(auth[0]!.type, 'checkbox');
    assert.equal(auth[0]!.checked, true);
    assert.equal(auth[2]!.enabled, false, 'Start is disabled while running');
    (auth[0]!.click as () => void)();
    (auth[9]!.click as () => void)();
    const pay = menu[1]!.submenu as Electron.MenuItemConstructorOptions[];
    assert.equal(pay[0]!.checked, false);
    (pay[0]!.click as () => void)();
    assert.deepEqual(calls, [
      'stop(aegisx/auth)',
      'copy(postgresql://postgres:postgres@localhost:5466/aegisx_db)',
      'start(aegisx/pay)',
    ]);
  });

  test('busy instances and an unreachable engine disable the toggles; conflicts are listed first', () => {
    const { actions } = recorder();
    const menu = buildTrayTemplate(
      ov([inst('auth', 'running', healthy, { busy: 'reset' })], {
        engine: 'unknown',
        conflicts: [{ port: 5466, kind: 'host', service: 'postgres', instances: ['auth'] }],
      }),
      actions,
      SETTINGS,
    );
    assert.equal(menu[0]!.label, 'Docker engine unreachable');
    assert.equal(menu[1]!.label, '⚠ Port 5466 conflict (auth)');
    const auth = menu.find((m) => m.label?.startsWith('auth'))!;
    assert.equal(auth.label, 'auth (reset…)');
    assert.equal((auth.submenu as Electron.MenuItemConstructorOptions[])[0]!.enabled, false);
    assert.equal(menu.find((m) => m.label === 'Start all')!.enabled, false);
  });

  test('a name two repositories have is shown as repo/name; actions name the instance by id', () => {
    const { actions, calls } = recorder();
    const twin = (repo: string) =>
      inst(
        'feature_x',
        'stopped',
        {},
        { id: `${repo}/feature_x`, label: `${repo}/feature_x`, project: `${repo}_feature_x` },
      );
    const menu = buildTrayTemplate(ov([twin('blog'), twin('shop')]), actions, SETTINGS);
    assert.deepEqual(
      menu.slice(0, 2).map((m) => m.label),
      ['blog/feature_x (stopped)', 'shop/feature_x (stopped)'],
    );
    ((menu[1]!.submenu as Electron.MenuItemConstructorOptions[])[0]!.click as () => void)();
    assert.deepEqual(calls, ['start(shop/feature_x)']);
  });

  test('an empty registry says so', () => {
    const menu = buildTrayTemplate(ov([]), recorder().actions, SETTINGS);
    assert.equal(menu[0]!.label, 'No instances yet');
    assert.equal(menu[0]!.enabled, false);
  });
});

describe('tray icon', () => {
  test('all / some / none / conflict-or-failure', () => {
    assert.equal(trayIconState(ov([inst('a', 'running', healthy), inst('b', 'running', healthy)])), 'running');
    assert.equal(trayIconState(ov([inst('a', 'running', healthy), inst('b', 'stopped')])), 'some');
    assert.equal(trayIconState(ov([inst('a', 'partial')])), 'some');
    assert.equal(trayIconState(ov([inst('a', 'stopped'), inst('b', 'not-created')])), 'none');
    assert.equal(trayIconState(ov([])), 'none');
    assert.equal(
      trayIconState(
        ov([inst('a', 'running', healthy)], {
          conflicts: [{ port: 1, kind: 'host', service: 'web', instances: ['a'] }],
        }),
      ),
      'alert',
    );
    assert.equal(trayIconState(ov([inst('a', 'running', { postgres: ['running', 'unhealthy'] })])), 'alert');
    assert.equal(trayIconState(ov([inst('a', 'stopped', {}, { error: 'compose failed' })])), 'alert');
    assert.equal(trayIconState(ov([inst('a', 'unknown')], { engine: 'unknown' })), 'alert');
  });

  test('template images on macOS, colour PNGs elsewhere, and the files exist', async () => {
    const { existsSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(__dirname, '..', '..', '..', 'assets', 'icons');
    assert.equal(trayIconPath('some', 'darwin', dir), path.join(dir, 'tray-someTemplate.png'));
    assert.equal(trayIconPath('alert', 'linux', dir), path.join(dir, 'tray-alert-24.png'));
    assert.equal(trayIconPath('none', 'win32', dir), path.join(dir, 'tray-none-16.png'));
    for (const state of ['running', 'some', 'none', 'alert'] as const) {
      for (const platform of ['darwin', 'linux', 'win32'] as const)
        assert.ok(existsSync(trayIconPath(state, platform, dir)), `${state} ${platform}`);
      assert.ok(existsSync(path.join(dir, `tray-${state}Template@2x.png`)));
    }
    assert.equal(
      trayTooltip(ov([inst('a', 'running', healthy), inst('b', 'stopped')])),
      'AegisX Instances: 1 of 2 running',
    );
  });
});

describe('notification rules', () => {
  test('nothing on the first overview but the conflicts already there', () => {
    assert.deepEqual(notificationsFor(undefined, ov([inst('a', 'running', healthy)])), []);
    const n = notificationsFor(
      undefined,
      ov([], {
        conflicts: [
          {
            port: 5466,
            kind: 'host',
            service: 'postgres',
            instances: ['auth'],
            process: { pid: 42, name: 'postgres' },
          },
        ],
      }),
    );
    assert.deepEqual(n, [
      {
        kind: 'conflict',
        title: 'Port conflict',
        body: 'Port 5466 (postgres) of auth is in use by postgres (pid 42)',
        instance: 'auth',
      },
    ]);
  });

  test('a new conflict once; healthy once; failure unless we caused it; engine lost and back', () => {
    const c = { port: 4233, kind: 'host' as const, service: 'web', instances: ['auth'] };
    const base = ov([inst('auth', 'running', healthy)]);
    assert.equal(notificationsFor(base, { ...base, conflicts: [c] }).length, 1);
    assert.equal(notificationsFor({ ...base, conflicts: [c] }, { ...base, conflicts: [c] }).length, 0);

    const starting = ov([inst('auth', 'running', { postgres: ['running', 'starting'] })]);
    assert.deepEqual(
      notificationsFor(starting, base).map((x) => [x.kind, x.instance]),
      [['healthy', 'auth']],
    );
    assert.deepEqual(notificationsFor(base, base), []);

    const died = ov([inst('auth', 'partial', { postgres: ['exited', 'none'], pgadmin: ['running', 'none'] })]);
    assert.deepEqual(
      notificationsFor(base, died).map((x) => [x.kind, x.body]),
      [['failed', 'postgres stopped unexpectedly']],
    );
    const weStopped = ov([
      inst('auth', 'partial', { postgres: ['exited', 'none'], pgadmin: ['running', 'none'] }, { busy: 'stop' }),
    ]);
    assert.deepEqual(notificationsFor(base, weStopped), []);
    const sick = ov([inst('auth', 'running', { postgres: ['running', 'unhealthy'] })]);
    assert.deepEqual(
      notificationsFor(base, sick).map((x) => x.body),
      ['postgres is unhealthy'],
    );

    const lost = { ...base, engine: 'unknown' as const };
    assert.deepEqual(
      notificationsFor(base, lost).map((x) => x.kind),
      ['engine-lost'],
    );
    assert.deepEqual(
      notificationsFor(lost, base).map((x) => x.kind),
      ['engine-back'],
    );
  });
});

describe('the tray, with Electron injected', () => {
  /** A fake OS tray recording what the tray does to it, and a controller that pushes overviews. */
  function harness(platform: NodeJS.Platform) {
    const calls: string[] = [];
    let tooltip = '';
    let menu: Electron.MenuItemConstructorOptions[] = [];
    let click: (() => void) | undefined;
    const listeners = new Set<(o: Overview) => void>();
    const settingsListeners = new Set<(s: SettingsView) => void>();
    const controller = {
      on: ((event: 'overview' | 'settings', l: (o: never) => void) => {
        const set = (event === 'overview' ? listeners : settingsListeners) as Set<typeof l>;
        set.add(l);
        return () => void set.delete(l);
      }) as unknown as Parameters<typeof setupTray>[0]['controller']['on'],
      stats: new StatsSampler({
        source: {
          read: () => Promise.resolve({ usage: new Map(), readings: new Map() }),
          reclaimable: () => Promise.resolve(0),
        },
      }),
    };
    const { actions, calls: actionCalls } = recorder();
    const tray = setupTray({
      actions,
      iconsDir: '/icons',
      platform,
      controller,
      settings: SETTINGS,
      createTray: (icon) => {
        calls.push(`create ${icon}`);
        return {
          setIcon: (p) => calls.push(`icon ${p}`),
          setToolTip: (t) => (tooltip = t),
          setMenu: (m) => (menu = m),
          onClick: (l) => (click = l),
          destroy: () => calls.push('destroy'),
        };
      },
    });
    return {
      tray,
      calls,
      actionCalls,
      push: (o: Overview) => listeners.forEach((l) => l(o)),
      pushSettings: (v: SettingsView) => settingsListeners.forEach((l) => l(v)),
      listeners,
      settingsListeners,
      get: () => ({ tooltip, menu, click }),
    };
  }

  test('follows the overview: icon, tooltip and menu; a failed refresh is in the tooltip until it clears', () => {
    const h = harness('linux');
    assert.deepEqual(h.calls, ['create /icons/tray-none-24.png']);
    assert.equal(h.get().tooltip, 'AegisX Instances');
    h.push(ov([inst('auth', 'running', healthy)]));
    assert.equal(h.get().tooltip, 'AegisX Instances: 1 of 1 running');
    assert.equal(h.get().menu[0]!.label, 'auth');
    h.push(
      ov([inst('auth', 'running', healthy)], {
        refreshError: 'Refreshing the overview failed: instances.json is not JSON',
      }),
    );
    assert.equal(
      h.get().tooltip,
      '⚠ Refreshing the overview failed: instances.json is not JSON\nAegisX Instances: 1 of 1 running',
    );
    h.push(ov([inst('auth', 'running', healthy)]));
    assert.equal(h.get().tooltip, 'AegisX Instances: 1 of 1 running');
    assert.deepEqual(h.calls.slice(1), [
      'icon /icons/tray-running-24.png',
      'icon /icons/tray-alert-24.png',
      'icon /icons/tray-running-24.png',
    ]);
  });

  test('a click opens the window on Linux and Windows (macOS: the menu); destroy lets go of the overview', () => {
    const linux = harness('linux');
    linux.get().click!();
    assert.deepEqual(linux.actionCalls, ['openDashboard()']);
    assert.equal(harness('darwin').get().click, undefined);
    linux.tray.destroy();
    assert.equal(linux.listeners.size, 0);
    assert.equal(linux.settingsListeners.size, 0);
    assert.equal(linux.calls.at(-1), 'destroy');
  });

  test('the Notifications and Start at login checkboxes follow the settings event, the overview kept', () => {
    const h = harness('linux');
    h.push(ov([inst('auth', 'running', healthy)]));
    const item = (label: string) => h.get().menu.find((m) => m.label === label)!;
    assert.equal(item('Notifications').checked, true);
    assert.equal(item('Start at login').checked, false);
    h.pushSettings({
      values: { ...DEFAULT_SETTINGS, notifications: false, startAtLogin: true },
      supported: supportedSettings('app'),
      storedIn: 'memory',
      problem: null,
      automaticEndpoint: null,
      revision: 1,
    });
    assert.equal(item('Notifications').checked, false);
    assert.equal(item('Start at login').checked, true);
    assert.equal(h.get().menu[0]!.label, 'auth', 'the instances are still listed');
    (item('Notifications').click as () => void)();
    (item('Settings…').click as () => void)();
    assert.deepEqual(h.actionCalls, ['setNotifications(true)', 'openSettings()']);
  });

  test('a failed refresh alone turns the icon to alert', () => {
    assert.equal(trayIconState(ov([], { refreshError: 'Refreshing the overview failed: EACCES' })), 'alert');
  });
});

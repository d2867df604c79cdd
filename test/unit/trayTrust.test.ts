import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import type { InstanceView, Overview } from '../../main/shared/api/table';
import { buildTrayTemplate, type TrayActions } from '../../main/electron/trayMenu';
import { instanceView } from './views';

/** Every action the menu may call, recorded as `name(args)`. */
function recorder(): { actions: TrayActions; calls: string[] } {
  const calls: string[] = [];
  const actions = new Proxy({} as TrayActions, {
    get:
      (_t, name) =>
      (...args: unknown[]) =>
        void calls.push(`${String(name)}(${args.join(',')})`),
  });
  return { actions, calls };
}

const ov = (instances: InstanceView[]): Overview => ({
  engine: 'connected',
  engines: [],
  instances,
  conflicts: [],
  refreshError: null,
});
const SETTINGS = { notifications: true, startAtLogin: false };

function submenuOf(menu: MenuItemConstructorOptions[], label: RegExp) {
  const item = menu.find((m) => label.test(String(m.label)));
  assert.ok(item, `no menu item ${label}: ${menu.map((m) => m.label).join(' | ')}`);
  return { item, sub: item.submenu as MenuItemConstructorOptions[] };
}

const click = (m: MenuItemConstructorOptions | undefined) => (m!.click as unknown as () => void)();

describe('tray: an instance whose host access nobody accepted', () => {
  test('says it needs your OK; its toggle and Start open the window’s dialog, never a start', () => {
    const { actions, calls } = recorder();
    const hostile = instanceView('hostile', { status: 'stopped', needsTrust: true });
    const menu = buildTrayTemplate(ov([hostile]), actions, SETTINGS);
    const { sub } = submenuOf(menu, /^hostile/);
    assert.match(String(menu.find((m) => /^hostile/.test(String(m.label)))!.label), /needs your OK/);
    const toggle = sub[0]!;
    assert.match(String(toggle.label), /review its host access/);
    click(toggle);
    const start = sub.find((m) => /^Start/.test(String(m.label)));
    assert.match(String(start!.label), /review host access/);
    assert.equal(start!.enabled, true);
    click(start);
    assert.deepEqual(calls, ['reviewHostAccess(aegisx/hostile)', 'reviewHostAccess(aegisx/hostile)']);
  });

  test('an accepted one (no needsTrust) starts as before; a running one still stops', () => {
    const { actions, calls } = recorder();
    const menu = buildTrayTemplate(
      ov([instanceView('fine', { status: 'stopped' }), instanceView('up', { status: 'running', needsTrust: true })]),
      actions,
      SETTINGS,
    );
    const fine = submenuOf(menu, /^fine/);
    assert.doesNotMatch(String(fine.item.label), /needs your OK/);
    click(fine.sub[0]);
    click(fine.sub.find((m) => m.label === 'Start'));
    const up = submenuOf(menu, /^up/);
    click(up.sub[0]);
    assert.deepEqual(calls, ['start(aegisx/fine)', 'start(aegisx/fine)', 'stop(aegisx/up)']);
  });
});

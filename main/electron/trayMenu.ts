import path from 'node:path';
import { asleepLabel } from '../shared/schemas/idlePolicy';
import type { MenuItemConstructorOptions } from 'electron';
import type { InstanceView, Overview, StatsView } from '../shared/api/table';
import type { Settings } from '../shared/schemas/settings';
import { engineLabel } from '../shared/display/engine';
import { instanceEngineState, lostEngines } from '../shared/display/engineStates';
import { formatBytes } from '../shared/display/units';
import { stackTasks } from '../shared/display/stackText';

export type TrayIconState = 'running' | 'some' | 'none' | 'alert';

/** All running / some / none, or a conflict or failure (engine lost, unhealthy service, failed operation or refresh). */
export function trayIconState(o: Overview | undefined): TrayIconState {
  if (!o) return 'none';
  const failed = o.instances.some((i) => i.error || Object.values(i.services).some((s) => s.health === 'unhealthy'));
  const engineLost = o.instances.some((i) => instanceEngineState(o, i) === 'unknown');
  if (o.conflicts.length || failed || o.refreshError || engineLost) return 'alert';
  const running = o.instances.filter((i) => i.status === 'running').length;
  if (running && running === o.instances.length) return 'running';
  return running || o.instances.some((i) => i.status === 'partial') ? 'some' : 'none';
}

/** macOS gets a template image (the menu bar tints it); Linux and Windows get the colour PNG in their usual size. */
export function trayIconPath(state: TrayIconState, platform: NodeJS.Platform, iconsDir: string): string {
  if (platform === 'darwin') return path.join(iconsDir, `tray-${state}Template.png`);
  return path.join(iconsDir, `tray-${state}-${platform === 'win32' ? 16 : 24}.png`);
}

/**
 * Memory of the last stats sample (the app samples while the window is visible and when the tray menu
 * opens, never on a timer of its own); an old sample says when it was taken.
 */
function memoryText(stats: StatsView | undefined, running: number, now: number): string {
  if (!stats || !running) return '';
  const at = new Date(stats.at);
  const age = now - at.getTime();
  const when =
    age > 60_000 ? ` at ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}` : '';
  return ` · ${formatBytes(stats.total.memoryBytes)} memory${when}`;
}

export function trayTooltip(o: Overview | undefined, stats?: StatsView, now = Date.now()): string {
  if (!o) return 'AegisX Instances';
  const running = o.instances.filter((i) => i.status === 'running').length;
  const extra = o.conflicts.length
    ? ` · ${o.conflicts.length} port conflict${o.conflicts.length > 1 ? 's' : ''}`
    : o.engine === 'unknown'
      ? ' · Docker unreachable'
      : lostEngines(o).length
        ? ` · ${lostEngines(o)
            .map((e) => e.label)
            .join(', ')} unreachable`
        : '';
  // Tooltips are short on some desktops: the failure goes first, then the counts it may have made stale.
  const failed = o.refreshError ? `⚠ ${o.refreshError}\n` : '';
  return `${failed}AegisX Instances: ${running} of ${o.instances.length} running${memoryText(stats, running, now)}${extra}`;
}

/** Instances are named by id (`repo/name`), which every handler accepts. */
export interface TrayActions {
  start(name: string): void;
  stop(name: string): void;
  reset(name: string): void;
  openFolder(name: string): void;
  openUrl(url: string): void;
  copy(text: string): void;
  showLogs(name: string): void;
  /** Opens the window's host-access dialog for it: its compose file reaches the host and nobody accepted that. */
  reviewHostAccess(name: string): void;
  startAll(): void;
  stopAll(): void;
  addRepository(): void;
  openDashboard(): void;
  /** The settings the tray toggles, each a one-key change through the API table. */
  setNotifications(on: boolean): void;
  setStartAtLogin(on: boolean): void;
  /** Opens the window on its Settings panel. */
  openSettings(): void;
  quit(): void;
}

/** What the tray shows of the settings: its two checkboxes. */
export type TraySettings = Pick<Settings, 'notifications' | 'startAtLogin'>;

/** The settings part of the menu: the two toggles a tray is for, then the panel with the rest. */
function settingsItems(s: TraySettings, a: TrayActions): MenuItemConstructorOptions[] {
  return [
    {
      label: 'Notifications',
      type: 'checkbox',
      checked: s.notifications,
      click: () => a.setNotifications(!s.notifications),
    },
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: s.startAtLogin,
      click: () => a.setStartAtLogin(!s.startAtLogin),
    },
    { label: 'Settings…', click: () => a.openSettings() },
  ];
}

/** "Docker engine devbox unreachable (2 instances)": only that engine's instances are affected. */
export function remoteLostLabel(e: { label: string; count: number }): string {
  return `Docker engine ${e.label} unreachable (${e.count} instance${e.count === 1 ? '' : 's'})`;
}

function instanceItem(i: InstanceView, a: TrayActions, engineUp: boolean): MenuItemConstructorOptions {
  const up = i.status === 'running' || i.status === 'partial';
  const busy = Boolean(i.busy);
  const on = i.engine ? ` @ ${engineLabel(i.engine)}` : '';
  // Deployed as a Swarm stack, it runs there while its Compose state says stopped: the menu says both.
  const stack = i.stack ? ` · stack ${i.stack.running}/${i.stack.desired}` : '';
  // Its start would be refused until a person accepts what it reaches on the host: the window's dialog asks.
  const ask = Boolean(i.needsTrust);
  // Asleep is its own state ("Asleep · 42 min"), never "stopped": its first request or Wake starts it.
  const shown = i.asleep ? asleepLabel(i.asleep.since, Date.now()) : i.status;
  const state = busy ? ` (${i.busy}…)` : i.status === 'running' ? '' : ask ? ' (needs your OK)' : ` (${shown})`;
  const start = () => (ask ? a.reviewHostAccess(i.id) : a.start(i.id));
  return {
    label: `${i.label}${on}${state}${stack}`,
    submenu: [
      {
        label: up
          ? 'Running — click to stop'
          : ask
            ? 'Stopped — click to review its host access'
            : i.asleep
              ? 'Asleep — click to wake'
              : 'Stopped — click to start',
        type: 'checkbox',
        checked: up,
        enabled: engineUp && !busy,
        click: () => (up ? a.stop(i.id) : start()),
      },
      { type: 'separator' },
      {
        label: ask ? 'Start… (review host access)' : i.asleep ? 'Wake' : 'Start',
        enabled: engineUp && !busy && i.status !== 'running',
        click: start,
      },
      { label: 'Stop', enabled: engineUp && !busy && up, click: () => a.stop(i.id) },
      { label: 'Reset…', enabled: engineUp && !busy, click: () => a.reset(i.id) },
      { type: 'separator' },
      ...(i.stack ? [{ label: `Swarm stack ${i.stack.name}: ${stackTasks(i.stack)}`, enabled: false }] : []),
      { label: 'Open folder', click: () => a.openFolder(i.id) },
      ...openItems(i, 'web', 'Open web', a),
      ...openItems(i, 'api', 'Open API', a),
      ...(i.urls.DATABASE_URL ? [{ label: 'Copy DATABASE_URL', click: () => a.copy(i.urls.DATABASE_URL!) }] : []),
      {
        label: 'Show logs',
        enabled: i.status !== 'not-created' && i.status !== 'unknown',
        click: () => a.showLogs(i.id),
      },
    ],
  };
}

/**
 * The whole tray menu as a pure function of the overview and the settings,
 * rebuilt on every change of either: each instance a running ⇄ stopped toggle
 * with its submenu, then the global actions, then the settings.
 */
export function buildTrayTemplate(
  o: Overview | undefined,
  a: TrayActions,
  s: TraySettings,
): MenuItemConstructorOptions[] {
  const instances = o?.instances ?? [];
  const items: MenuItemConstructorOptions[] = [];
  if (o?.engine === 'unknown')
    items.push({
      label: o.engines?.length ? 'Local Docker engine unreachable' : 'Docker engine unreachable',
      enabled: false,
    });
  for (const e of o ? lostEngines(o) : []) items.push({ label: remoteLostLabel(e), enabled: false });
  for (const c of o?.conflicts ?? [])
    items.push({ label: `⚠ Port ${c.port} conflict (${c.instances[0]})`, click: () => a.openDashboard() });
  if (items.length) items.push({ type: 'separator' });
  if (!instances.length) items.push({ label: 'No instances yet', enabled: false });
  for (const i of instances) items.push(instanceItem(i, a, instanceEngineState(o!, i) === 'connected'));
  // Each instance on its own engine: with the local engine away, the ones on a reachable remote one still count.
  const reachable = instances.filter((i) => instanceEngineState(o!, i) === 'connected');
  const anyUp = reachable.some((i) => i.status === 'running' || i.status === 'partial');
  const anyDown = reachable.some((i) => i.status !== 'running');
  items.push(
    { type: 'separator' },
    { label: 'Start all', enabled: anyDown, click: () => a.startAll() },
    { label: 'Stop all', enabled: anyUp, click: () => a.stopAll() },
    { type: 'separator' },
    { label: 'Add repository…', click: () => a.addRepository() },
    { label: 'Open dashboard', click: () => a.openDashboard() },
    { type: 'separator' },
    ...settingsItems(s, a),
    { type: 'separator' },
    { label: 'Quit AegisX Instances', role: 'quit', click: () => a.quit() },
  );
  return items;
}

/**
 * "Open web (fix-login.shop.localhost)" by its router name first, then "… by port (4200)", which Safari
 * and some tools need; only the port one where no router names it.
 */
function openItems(
  i: InstanceView,
  key: 'web' | 'api',
  label: string,
  a: Pick<TrayActions, 'openUrl'>,
): MenuItemConstructorOptions[] {
  const byPort = i.urls[`${key.toUpperCase()}_URL`];
  if (!byPort) return [];
  const named = !i.routerDown && i.routes?.find((r) => r.key === key && (key === 'web' ? r.web : !r.web));
  const port = { label: `${label}${named ? ' by port' : ''} (${i.ports[key]})`, click: () => a.openUrl(byPort) };
  return named ? [{ label: `${label} (${new URL(named.url).host})`, click: () => a.openUrl(named.url) }, port] : [port];
}

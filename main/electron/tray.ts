import type { MenuItemConstructorOptions } from 'electron';
import type { AppController } from '../api/controller/controllerTypes';
import type { Overview } from '../shared/api/table';
import {
  buildTrayTemplate,
  trayIconPath,
  trayIconState,
  trayTooltip,
  type TrayActions,
  type TraySettings,
} from './trayMenu';

/** The OS tray icon as the tray uses it; main.ts makes one from Electron's Tray, tests from a fake. */
export interface TrayIcon {
  setIcon(iconPath: string): void;
  setToolTip(text: string): void;
  setMenu(template: MenuItemConstructorOptions[]): void;
  onClick(listener: () => void): void;
  /** The menu is about to show (where the platform says so: macOS and Windows, not Linux's AppIndicator). */
  onMenuOpen?(listener: () => void): void;
  destroy(): void;
}

export interface TrayOptions {
  actions: TrayActions;
  iconsDir: string;
  platform: NodeJS.Platform;
  createTray: (iconPath: string) => TrayIcon;
  /** Where overviews and settings come from, and the stats sampler (its last sample feeds the tooltip). */
  controller: Pick<AppController, 'on' | 'stats'>;
  /** The settings at start; later ones arrive as `settings` events. */
  settings: TraySettings;
}

export interface TrayHandle {
  update(overview: Overview | undefined): void;
  destroy(): void;
}

/**
 * The tray: one menu rebuilt from the overview on every change (Podman
 * Desktop's pattern), an icon showing the state at a glance, a tooltip that
 * also names a failed refresh. Electron is injected, so this runs in plain Node.
 */
export function setupTray(o: TrayOptions): TrayHandle {
  let icon = trayIconPath('none', o.platform, o.iconsDir);
  const tray = o.createTray(icon);
  // Linux and Windows: a click opens the window; the menu is on the right click (and always on macOS).
  if (o.platform !== 'darwin') tray.onClick(() => o.actions.openDashboard());
  let overview: Overview | undefined;
  let settings = o.settings;
  const update = (next: Overview | undefined) => {
    overview = next;
    const path = trayIconPath(trayIconState(overview), o.platform, o.iconsDir);
    if (path !== icon) tray.setIcon((icon = path));
    tray.setToolTip(trayTooltip(overview, o.controller.stats.current()));
    tray.setMenu(buildTrayTemplate(overview, o.actions, settings));
  };
  update(undefined);
  const offs = [
    o.controller.on('overview', update),
    o.controller.on('settings', (view) => {
      settings = view.values;
      tray.setMenu(buildTrayTemplate(overview, o.actions, settings));
    }),
    // A sample taken for the window (or below) refreshes the tooltip's memory; the menu is left alone.
    o.controller.stats.onSample((s) => tray.setToolTip(trayTooltip(overview, s))),
  ];
  // Opening the menu is asking: one sample then, none on a timer.
  tray.onMenuOpen?.(() => void o.controller.stats.sample().catch(() => undefined));
  return {
    update,
    destroy: () => {
      for (const off of offs) off();
      tray.destroy();
    },
  };
}

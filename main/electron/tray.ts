import { Menu, Tray, nativeImage } from 'electron';
import type { Overview } from '../api/table';
import { buildTrayTemplate, trayIconPath, trayIconState, trayTooltip, type TrayActions } from './trayMenu';

/**
 * The tray: one menu rebuilt from the overview on every change (Podman
 * Desktop's pattern), an icon showing the state at a glance. `createTray`
 * is injectable so this runs without a display in tests.
 */
export class TrayMenu {
  private tray: Tray;
  private icon = '';

  constructor(
    private readonly actions: TrayActions,
    private readonly iconsDir: string,
    createTray: (iconPath: string) => Tray = (p) => new Tray(nativeImage.createFromPath(p)),
  ) {
    this.tray = createTray(trayIconPath('none', process.platform, iconsDir));
    // Linux and Windows: a click opens the window; the menu is on the right click (and always on macOS).
    if (process.platform !== 'darwin') this.tray.on('click', () => actions.openDashboard());
    this.update(undefined);
  }

  update(overview: Overview | undefined): void {
    const icon = trayIconPath(trayIconState(overview), process.platform, this.iconsDir);
    if (icon !== this.icon) {
      this.icon = icon;
      const img = nativeImage.createFromPath(icon);
      if (process.platform === 'darwin') img.setTemplateImage(true);
      this.tray.setImage(img);
    }
    this.tray.setToolTip(trayTooltip(overview));
    this.tray.setContextMenu(Menu.buildFromTemplate(buildTrayTemplate(overview, this.actions)));
  }

  isDestroyed(): boolean {
    return this.tray.isDestroyed();
  }

  destroy(): void {
    this.tray.destroy();
  }
}

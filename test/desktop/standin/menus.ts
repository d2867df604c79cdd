import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { MenuItemConstructorOptions, NativeImage, NotificationConstructorOptions } from 'electron';
import { strict, strictClass } from './strict';
import { standin } from './state';

/** What the app's templates may use; another key (or role) is new API use the stand-in must learn first. */
const ITEM_KEYS = new Set(['label', 'type', 'checked', 'enabled', 'click', 'submenu', 'role', 'toolTip', 'id']);

function checkTemplate(items: MenuItemConstructorOptions[]): void {
  for (const item of items) {
    for (const key of Object.keys(item))
      if (!ITEM_KEYS.has(key)) throw new Error(`electron stand-in: menu item option ${key} is not implemented`);
    if (item.role && item.role !== 'quit')
      throw new Error(`electron stand-in: menu role ${item.role} is not implemented`);
    if (Array.isArray(item.submenu)) checkTemplate(item.submenu);
  }
}

class StandinMenu extends EventEmitter {
  constructor(readonly template: MenuItemConstructorOptions[]) {
    super();
  }
  static buildFromTemplate(template: MenuItemConstructorOptions[]): StandinMenu {
    checkTemplate(template);
    return strict('Menu', new StandinMenu(template));
  }
}
export const Menu = strictClass('Menu', StandinMenu);

interface StandinImage {
  readonly path: string;
  setTemplateImage(on: boolean): void;
  isEmpty(): boolean;
}
const typedImage: (p: string) => Pick<NativeImage, 'setTemplateImage' | 'isEmpty'> = (p) => image(p);
function image(p: string): StandinImage {
  // Electron gives an empty image for a missing file, and the tray shows nothing: fail here instead.
  if (!existsSync(p)) throw new Error(`electron stand-in: nativeImage.createFromPath: no file ${p}`);
  return strict('NativeImage', { path: p, setTemplateImage: () => undefined, isEmpty: () => false });
}
export const nativeImage = strict('nativeImage', { createFromPath: (p: string) => (typedImage(p), image(p)) });

class StandinTray extends EventEmitter {
  constructor(img: StandinImage) {
    super();
    image(img.path);
  }
  setImage(img: StandinImage): void {
    image(img.path);
  }
  setToolTip(text: string): void {
    standin().trayToolTips.push(text);
  }
  setContextMenu(menu: StandinMenu | null): void {
    if (menu) standin().trayMenus.push(menu.template);
  }
  override on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    if (event === 'click') standin().trayClick = () => listener({}, {}, {});
    return super.on(event, listener);
  }
  destroy(): void {
    standin().trayDestroyed = true;
  }
}
/** One tray icon; its menus, tooltips and click are recorded in the state. */
export const Tray = strictClass('Tray', StandinTray);

class StandinNotification extends EventEmitter {
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    standin().notifications.push({ options: this.options, click: () => this.emit('click', {}) });
  }
}
export const Notification = strictClass('Notification', StandinNotification);

/** A user's click on a menu item, as Electron does it: a checkbox flips first; a role acts and `click` is ignored. */
export function clickMenuItem(item: MenuItemConstructorOptions, quit: () => void): void {
  if (item.enabled === false) throw new Error(`menu item ${item.label} is disabled`);
  if (item.role === 'quit') return quit();
  if (item.type === 'checkbox') item.checked = !item.checked;
  item.click?.(item as unknown as Electron.MenuItem, undefined, {});
}

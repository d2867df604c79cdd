/**
 * The stand-in `electron` module: exactly the main-process API the app uses,
 * each piece typed from electron.d.ts. Reading anything else throws.
 */
import { app, ipcMain } from './app';
import { Menu, nativeImage, Notification, Tray } from './menus';
import { clipboard, dialog, session, shell } from './misc';
import { strict } from './strict';
import { BrowserWindow } from './window';

export = strict('electron', {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  session,
  shell,
  Tray,
});

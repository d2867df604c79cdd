import type { IpcMain } from 'electron';
import type { AppController } from '../api/controller/controllerTypes';
import { IPC } from '../shared/api/table';
import type { WindowManager } from './window';
import { isTrustedSender } from './windowPolicy';

/** Binds the API table to ipcMain (one channel, method name as data) and forwards pushed events to the window. */
export function setupIpc(ipcMain: IpcMain, controller: AppController, windows: WindowManager): void {
  ipcMain.handle(IPC.invoke, (event, method: unknown, args: unknown) => {
    if (event.sender !== windows.webContents() || !isTrustedSender(event.senderFrame?.url, windows.pageUrl())) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'calls are accepted from the AegisX Instances window only' },
      };
    }
    return controller.invoke(method, args);
  });
  controller.onAny((name, payload) => windows.webContents()?.send(IPC.event, name, payload));
}

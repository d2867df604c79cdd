import type { Clipboard, Dialog, OpenDialogOptions, OpenDialogReturnValue, Session, Shell } from 'electron';
import { strict } from './strict';
import { standin } from './state';

/** The folder picker answers what the test queued; asked with nothing queued is a test failure. */
function showOpenDialog(...args: unknown[]): Promise<OpenDialogReturnValue> {
  const options = args[args.length - 1] as OpenDialogOptions;
  const s = standin();
  s.dialogs.push(options);
  const paths = s.dialogAnswers.shift();
  if (!paths)
    return Promise.reject(new Error('electron stand-in: showOpenDialog asked, but the test queued no answer'));
  return Promise.resolve({ canceled: paths.length === 0, filePaths: paths });
}
const typedDialog: Pick<Dialog, 'showOpenDialog'> = { showOpenDialog };
export const dialog = strict('dialog', typedDialog);

const typedShell: Pick<Shell, 'showItemInFolder' | 'openExternal' | 'openPath'> = {
  showItemInFolder: (p) => void standin().shown.showItemInFolder.push(p),
  openExternal: (url) => (standin().shown.openExternal.push(url), Promise.resolve()),
  openPath: () => Promise.resolve('electron stand-in: openPath is not used by the app'),
};
export const shell = strict('shell', typedShell);

const typedClipboard: Pick<Clipboard, 'writeText'> = {
  writeText: (t) => (standin().shown.clipboard.push(t), Promise.resolve()),
};
export const clipboard = strict('clipboard', typedClipboard);

const defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> = {
  setPermissionRequestHandler: (h) => void (standin().permissionHandlers.request = h as never),
  setPermissionCheckHandler: (h) => void (standin().permissionHandlers.check = h as never),
};
export const session = strict('session', { defaultSession: strict('session.defaultSession', defaultSession) });

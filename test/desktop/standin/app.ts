import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { App, IpcMain, IpcMainInvokeEvent } from 'electron';
import { ipcClone, strict } from './strict';
import { standin } from './state';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class StandinIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMainImpl = new StandinIpcMain();
const typedIpc: Pick<IpcMain, 'handle' | 'removeHandler'> = ipcMainImpl;
export const ipcMain = strict('ipcMain', typedIpc as StandinIpcMain);

/**
 * ipcRenderer.invoke as Electron answers it: the arguments and the result are
 * structured-cloned; a handler's thrown Error reaches the caller as a new
 * Error carrying only its message, in Electron's words.
 */
export async function invokeMain(channel: string, event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> {
  const handler = ipcMainImpl.handlers.get(channel);
  if (!handler)
    throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  const copied = ipcClone(args); // an uncloneable argument fails in the renderer, before main hears of it
  let failure: unknown;
  try {
    return ipcClone(await handler(event, ...copied));
  } catch (err) {
    failure = err;
  }
  // A new Error: the handler's own (its code, its stack) stays in main.
  throw new Error(`Error invoking remote method '${channel}': ${String(failure)}`);
}

const socketPath = () => path.join(standin().userData, 'SingletonSocket');
const lockPath = () => path.join(standin().userData, 'SingletonLock');
/** What must end before `will-quit` (the windows and Chromium: window.ts adds that). */
export const beforeQuitEnds: (() => Promise<void>)[] = [];
let pendingNotify: Promise<void> = Promise.resolve();
let server: net.Server | undefined;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The first process holds a lock file and a socket; a second one sends its argv there and gets false. */
function requestSingleInstanceLock(): boolean {
  mkdirSync(standin().userData, { recursive: true });
  try {
    const fd = openSync(lockPath(), 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    const holder = Number(readFileSync(lockPath(), 'utf8'));
    if (pidAlive(holder)) {
      pendingNotify = new Promise((resolve) => {
        const s = net.connect(socketPath(), () => s.end(JSON.stringify(process.argv)));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
      });
      return false;
    }
    rmSync(lockPath(), { force: true });
    return requestSingleInstanceLock();
  }
  rmSync(socketPath(), { force: true });
  server = net.createServer((c) => {
    let data = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (data += d));
    c.on('end', () => {
      const argv = JSON.parse(data) as string[];
      standin().secondInstances.push(argv);
      appImpl.emit('second-instance', { preventDefault() {} }, argv, process.cwd(), {});
    });
  });
  server.listen(socketPath());
  return true;
}

class StandinApp extends EventEmitter {
  readonly isPackaged = false;
  private ready = Promise.resolve();
  requestSingleInstanceLock = requestSingleInstanceLock;
  whenReady(): Promise<void> {
    return this.ready;
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`electron stand-in: app.getPath('${name}') is not implemented`);
    return standin().userData;
  }
  getVersion(): string {
    return (
      JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  }
  /** Electron documents it for macOS and Windows; on Linux it does nothing, so the stand-in records it only there. */
  setLoginItemSettings(settings: Electron.Settings): void {
    if (process.platform === 'darwin' || process.platform === 'win32') standin().loginItem.push(settings);
  }
  /** before-quit (preventable), every window closed, will-quit, quit; a second instance exits once it has told the first. */
  quit(): void {
    const s = standin();
    if (s.quitting) return;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    s.quitting = true;
    void (async () => {
      await pendingNotify;
      for (const hook of beforeQuitEnds) await hook();
      this.emit('will-quit', { preventDefault() {} });
      this.emit('quit', { preventDefault() {} }, 0);
      server?.close();
      if (server) rmSync(lockPath(), { force: true });
      s.quitDone = true;
      if (process.env.AXI_STANDIN_EXIT_ON_QUIT) process.exit(0);
    })();
  }
}

export const appImpl = new StandinApp();
// The signatures checked against electron.d.ts (`on` is EventEmitter's).
const typed: Pick<
  App,
  'requestSingleInstanceLock' | 'quit' | 'whenReady' | 'isPackaged' | 'setLoginItemSettings' | 'getPath' | 'getVersion'
> = appImpl;
export const app = strict('app', typed as StandinApp);

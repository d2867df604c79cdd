import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { IpcMainInvokeEvent } from 'electron';
import type { Page } from 'playwright-core';
import { invokeMain } from './app';
import { ipcClone, strict } from './strict';

/** A loaded preload: what it exposed to the page, and its ipcRenderer listeners (webContents.send lands there). */
export interface LoadedPreload {
  exposed: Map<string, unknown>;
  emit(channel: string, args: unknown[]): void;
}

/** The modules Electron's sandboxed preload may require besides `electron` (its docs: "sandboxed renderers"). */
const SANDBOX_MODULES: Record<string, () => unknown> = {
  events: () => ({ EventEmitter }),
  timers: () => ({ setTimeout, clearTimeout, setInterval, clearInterval }),
  url: () => ({ URL, URLSearchParams }),
};

/**
 * Runs the preload bundle as Electron's sandbox does: a fresh context with no
 * Node (no fs, no full process, a require that knows only `electron`'s
 * renderer modules and a few polyfills); `event` is what main's handlers get.
 */
export function runPreload(file: string, event: () => IpcMainInvokeEvent): LoadedPreload {
  const exposed = new Map<string, unknown>();
  const listeners = new EventEmitter();
  const ipcRenderer = strict('ipcRenderer', {
    invoke: (channel: string, ...args: unknown[]) => invokeMain(channel, event(), args),
    on(channel: string, listener: (...a: unknown[]) => void) {
      listeners.on(channel, listener);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: (...a: unknown[]) => void) {
      listeners.removeListener(channel, listener);
      return ipcRenderer;
    },
  });
  const contextBridge = strict('contextBridge', {
    exposeInMainWorld(key: string, api: unknown) {
      if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      exposed.set(key, api);
    },
  });
  // A File cannot cross from Chromium to this process: dropped files are not covered here.
  const webUtils = strict('webUtils', { getPathForFile: () => '' });
  const electron = strict('electron (renderer)', { contextBridge, ipcRenderer, webUtils });
  const require = (name: string) => {
    if (name === 'electron') return electron;
    const m = SANDBOX_MODULES[name];
    if (!m) throw new Error(`module not found: ${name}`);
    return m();
  };
  const module = { exports: {} };
  const sandbox = {
    require,
    module,
    exports: module.exports,
    process: strict('process (sandboxed)', {
      platform: process.platform,
      type: 'renderer',
      sandboxed: true,
      contextIsolated: true,
      env: {},
      versions: { ...process.versions },
    }),
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
  };
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file });
  return {
    exposed,
    emit: (channel, args) => listeners.emit(channel, { sender: ipcRenderer, ports: [] }, ...ipcClone(args)),
  };
}

type Shape = { type: 'fn' } | { type: 'obj'; props: Record<string, Shape> } | { type: 'value'; value: unknown };

/** What contextBridge copies at expose time: functions (proxied), plain objects (copied), cloneable values. */
function shapeOf(v: unknown): Shape {
  if (typeof v === 'function') return { type: 'fn' };
  // A plain object of any realm (the preload's vm has its own Object.prototype).
  const proto = v && typeof v === 'object' ? (Object.getPrototypeOf(v) as object | null) : undefined;
  if (proto && Object.getPrototypeOf(proto) === null && !Array.isArray(v))
    return { type: 'obj', props: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)])) };
  return { type: 'value', value: ipcClone(v) };
}

type BridgeMsg =
  { op: 'call'; key: string; path: string[]; args: unknown[] } | { op: 'fn'; id: number; args: unknown[] };
type BridgeReply = { value: unknown } | { fn: number } | { error: string };

/**
 * contextBridge between this process and the page: a call is proxied, its
 * arguments and result copied; a function crosses as a proxy either way; a
 * thrown Error (or rejection) arrives as a new Error with its message only.
 */
export async function installPageBridge(page: Page, exposed: Map<string, unknown>): Promise<void> {
  const fns = new Map<number, (...a: unknown[]) => unknown>();
  let queue: Promise<unknown> = Promise.resolve();
  const pageFn =
    (id: number) =>
    (...args: unknown[]) => {
      const copied = ipcClone(args);
      queue = queue
        .then(() =>
          page.evaluate(([i, a]) => (globalThis as any).__axiStandinCallbacks.get(i)(...a), [id, copied] as const),
        )
        .catch(() => undefined); // the page is gone (a closed window)
    };
  const decodeArg = (a: unknown) =>
    a && typeof a === 'object' && '__pageFn' in a ? pageFn((a as { __pageFn: number }).__pageFn) : ipcClone(a);
  const answer = async (msg: BridgeMsg): Promise<BridgeReply> => {
    try {
      let target: unknown;
      if (msg.op === 'fn') target = fns.get(msg.id);
      else target = msg.path.reduce((o, k) => (o as Record<string, unknown>)[k], exposed.get(msg.key));
      const result = await (target as (...a: unknown[]) => unknown)(...msg.args.map(decodeArg));
      if (typeof result !== 'function') return { value: ipcClone(result) };
      fns.set(fns.size + 1, result as (...a: unknown[]) => unknown);
      return { fn: fns.size };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };
  await page.exposeBinding('__axiStandinBridge', (_source, msg: BridgeMsg) => answer(msg));
  for (const [key, api] of exposed) await page.addInitScript(pageSide, { key, shape: shapeOf(api) });
}

/**
 * Runs in the page before its scripts: builds `window[key]` from the shape.
 * contextBridge calls are synchronous in Electron; over CDP they cannot be, so
 * a call returns a function that is also a thenable: awaited, it is the
 * result; called, it calls the function the result is (an unsubscribe).
 */
function pageSide({ key, shape }: { key: string; shape: Shape }): void {
  const g = globalThis as any;
  const callbacks: Map<number, (...a: unknown[]) => unknown> = (g.__axiStandinCallbacks ??= new Map());
  const encode = (args: unknown[]) =>
    args.map((a) => {
      if (typeof a !== 'function') return a;
      callbacks.set(callbacks.size + 1, a as (...x: unknown[]) => unknown);
      return { __pageFn: callbacks.size };
    });
  const hybrid = (p: Promise<any>) => {
    const h: any = (...a: unknown[]) => p.then((f: (...x: unknown[]) => unknown) => f(...a));
    h.then = (a: any, b: any) => p.then(a, b);
    h.catch = (b: any) => p.catch(b);
    h.finally = (f: any) => p.finally(f);
    return h;
  };
  const send = (msg: unknown): any => {
    const p = (g.__axiStandinBridge(msg) as Promise<any>).then((r) => {
      if ('error' in r) throw new Error(r.error);
      if ('fn' in r) return (...args: unknown[]) => send({ op: 'fn', id: r.fn, args: encode(args) });
      return r.value;
    });
    p.catch(() => undefined); // a rejection nobody awaits (an unsubscribe's) is not an unhandled one
    return hybrid(p);
  };
  const build = (s: Shape, path: string[]): unknown => {
    if (s.type === 'fn') return (...args: unknown[]) => send({ op: 'call', key, path, args: encode(args) });
    if (s.type === 'obj')
      return Object.freeze(Object.fromEntries(Object.entries(s.props).map(([k, v]) => [k, build(v, [...path, k])])));
    return s.value;
  };
  Object.defineProperty(g, key, { value: build(shape, []), enumerable: true });
}

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  API_EVENTS,
  API_METHODS,
  IPC,
  type ApiReplyClient,
  type ApiEventName,
  type ApiEvents,
  type ApiReply,
} from '../main/shared/api/table';
import { windowListeners } from '../main/shared/api/windowListeners';

// Exactly the API table, one function per method, plus pathForFile for drag-and-drop; nothing else of Node or ipcRenderer.
// Each resolves with main's reply as data: a thrown Error would reach the page with its message only, its code lost.
const call = (method: string, args: unknown[]): Promise<ApiReply<unknown>> =>
  (ipcRenderer.invoke(IPC.invoke, method, args) as Promise<ApiReply<unknown>>).catch((err: unknown) => ({
    ok: false as const,
    error: { code: 'INTERNAL', message: (err as Error).message },
  }));

const listeners = windowListeners();
ipcRenderer.on(IPC.event, (_e, name: ApiEventName, payload: unknown) => {
  if (API_EVENTS.includes(name)) listeners.dispatch(name, payload);
});

const bridge = {
  ...(Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as Omit<
    ApiReplyClient,
    'on'
  >),
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    return listeners.on(event, listener as (p: unknown) => void);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
} satisfies ApiReplyClient & { pathForFile(file: File): string };

contextBridge.exposeInMainWorld('axi', bridge);

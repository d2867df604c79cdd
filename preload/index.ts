import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  API_EVENTS,
  API_METHODS,
  IPC,
  type ApiClient,
  type ApiEventName,
  type ApiEvents,
  type ApiReply,
} from '../main/api/table';

// Exactly the API table, one function per method, plus pathForFile for drag-and-drop; nothing else of Node or ipcRenderer.
const call = async (method: string, args: unknown[]) => {
  const reply = (await ipcRenderer.invoke(IPC.invoke, method, args)) as ApiReply<unknown>;
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value;
};

const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
ipcRenderer.on(IPC.event, (_e, name: ApiEventName, payload: unknown) => {
  if (API_EVENTS.includes(name)) for (const l of listeners.get(name) ?? []) l(payload);
});

const bridge = {
  ...(Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as Omit<ApiClient, 'on'>),
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (p: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (p: unknown) => void);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
} satisfies ApiClient & { pathForFile(file: File): string };

contextBridge.exposeInMainWorld('axi', bridge);

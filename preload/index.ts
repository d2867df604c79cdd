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
import { windowListeners } from '../main/api/windowListeners';

// Exactly the API table, one function per method, plus pathForFile for drag-and-drop; nothing else of Node or ipcRenderer.
const call = async (method: string, args: unknown[]) => {
  const reply = (await ipcRenderer.invoke(IPC.invoke, method, args)) as ApiReply<unknown>;
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value;
};

const listeners = windowListeners();
ipcRenderer.on(IPC.event, (_e, name: ApiEventName, payload: unknown) => {
  if (API_EVENTS.includes(name)) listeners.dispatch(name, payload);
});

const bridge = {
  ...(Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as Omit<ApiClient, 'on'>),
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    return listeners.on(event, listener as (p: unknown) => void);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
} satisfies ApiClient & { pathForFile(file: File): string };

contextBridge.exposeInMainWorld('axi', bridge);

import {
  API_EVENTS,
  API_METHODS,
  type ApiClient,
  type ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiReply,
} from '../../main/api/table';
import { windowListeners } from '../../main/api/windowListeners';

/** What Electron's preload exposes: the API table, plus the path of a dropped file. */
export type DesktopBridge = ApiClient & { pathForFile(file: File): string };

declare global {
  interface Window {
    axi?: DesktopBridge;
  }
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** `axi serve`'s bridge: calls as POST /api/call, events as server-sent events. Same shape as Electron's. */
export function httpBridge(): ApiClient {
  const listeners = windowListeners();
  const source = new EventSource('/api/events');
  for (const event of API_EVENTS)
    source.addEventListener(event, (m) => listeners.dispatch(event, JSON.parse((m as MessageEvent<string>).data)));
  const call = async (method: string, args: unknown[]) => {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, args }),
    });
    if (!res.ok) throw new ApiFailure({ code: String(res.status), message: await res.text() });
    const reply = (await res.json()) as ApiReply<unknown>;
    if (!reply.ok) throw new ApiFailure(reply.error);
    return reply.value;
  };
  const client: Record<string, unknown> = Object.fromEntries(
    API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]),
  );
  // A plain GET, which index.html preloads: the first overview is already in flight when this runs.
  client.getOverview = async () => {
    const res = await fetch('/api/overview');
    if (!res.ok) throw new ApiFailure({ code: String(res.status), message: await res.text() });
    const reply = (await res.json()) as ApiReply<unknown>;
    if (!reply.ok) throw new ApiFailure(reply.error);
    return reply.value;
  };
  client.on = <E extends ApiEventName>(event: E, listener: (p: ApiEvents[E]) => void) =>
    listeners.on(event, listener as (p: unknown) => void);
  return client as ApiClient;
}

export const api: ApiClient = window.axi ?? httpBridge();
export const isDesktop = Boolean(window.axi);

/** Folders dropped on the window: Electron gives File objects; a browser gets file:// URLs from the file manager. */
export function droppedPaths(dt: DataTransfer): string[] {
  if (window.axi && dt.files.length) return [...dt.files].map((f) => window.axi!.pathForFile(f)).filter(Boolean);
  const uris = dt.getData('text/uri-list') || dt.getData('text/plain');
  return uris
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => {
      if (l.startsWith('file://')) {
        try {
          return [decodeURIComponent(new URL(l).pathname)];
        } catch {
          return [];
        }
      }
      return l.startsWith('/') ? [l] : [];
    });
}

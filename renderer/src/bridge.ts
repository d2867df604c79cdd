import {
  API_EVENTS,
  API_METHODS,
  type ApiClient,
  type ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiReply,
  type ApiReplyClient,
} from '../../main/shared/api/table';
import { windowListeners } from '../../main/shared/api/windowListeners';
import { followEvents, keyRefused, serveToken } from './serveKey';

/** What Electron's preload exposes: the API table answering with replies, plus the path of a dropped file. */
export type DesktopBridge = ApiReplyClient & { pathForFile(file: File): string };

declare global {
  interface Window {
    axi?: DesktopBridge;
  }
}

/** A refused call, the same from either bridge: its code (PORT_CONFLICT, BAD_INPUT…) and its one line. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }

  get code(): string {
    return this.error.code;
  }
}

/** A reply's value, or its refusal as an ApiFailure. */
function unwrap<T>(reply: ApiReply<T>): T {
  if (!reply.ok) throw new ApiFailure(reply.error);
  return reply.value;
}

/** Electron's bridge: the preload's replies turned back into values and typed errors. */
function desktopBridge(raw: DesktopBridge): ApiClient {
  const client: Record<string, unknown> = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (...args: unknown[]) => unwrap(await (raw[m] as (...a: unknown[]) => Promise<ApiReply<unknown>>)(...args)),
    ]),
  );
  client.on = raw.on;
  return client as ApiClient;
}

/** `axi serve`'s bridge: calls as POST /api/call, events as server-sent events. Same shape as Electron's. */
export function httpBridge(): ApiClient {
  const listeners = windowListeners();
  const token = serveToken();
  const auth = { Authorization: `Bearer ${token}` };
  const known = new Set<string>(API_EVENTS);
  followEvents('/api/events', token, (event, data) => {
    if (known.has(event)) listeners.dispatch(event as ApiEventName, JSON.parse(data));
  });
  /** A refused key (401) is the page's problem, not the call's: the page then says how to get the link. */
  const failed = async (res: Response) => {
    if (res.status === 401) keyRefused();
    return new ApiFailure({ code: String(res.status), message: await res.text() });
  };
  const call = async (method: string, args: unknown[]) => {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, args }),
    });
    if (!res.ok) throw await failed(res);
    return unwrap((await res.json()) as ApiReply<unknown>);
  };
  const client: Record<string, unknown> = Object.fromEntries(
    API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]),
  );
  client.getOverview = async () => {
    // Without a key there is nothing to ask: no request (and no 401 in the console).
    if (!token) throw new ApiFailure({ code: '401', message: 'no key: open the URL that axi serve printed' });
    const res = await fetch('/api/overview', { headers: auth });
    if (!res.ok) throw await failed(res);
    return unwrap((await res.json()) as ApiReply<unknown>);
  };
  client.on = <E extends ApiEventName>(event: E, listener: (p: ApiEvents[E]) => void) =>
    listeners.on(event, listener as (p: unknown) => void);
  return client as ApiClient;
}

export const api: ApiClient = window.axi ? desktopBridge(window.axi) : httpBridge();
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

/**
 * `axi serve`'s key on the page: taken from the printed URL's `?token=` into this tab's sessionStorage
 * (per origin: other ports and host names cannot read it), then dropped from the address bar. Sent only as
 * an Authorization header to our own origin; never a cookie, which browsers would send to every port.
 */
const KEY = 'axi-serve-token';

let held = '';

/** Whether this tab had a key (one that was then refused means a restarted `axi serve`). */
export const heldKey = (): boolean => Boolean(held);

export function serveToken(): string {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(KEY, given);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  held = given ?? sessionStorage.getItem(KEY) ?? '';
  return held;
}

/**
 * The page's key was refused (401) or never given: the tab cannot talk to `axi serve`. Said once to whoever
 * listens (the page then shows how to get the link) instead of retrying and showing "connecting…" forever.
 */
const refusedListeners = new Set<() => void>();
let refused = false;
export function keyRefused(): void {
  if (refused) return;
  refused = true;
  for (const l of refusedListeners) l();
}
export function onKeyRefused(listener: () => void): () => void {
  if (refused) listener();
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}

/** One server-sent event frame's name and data. */
function parseFrame(frame: string): { event: string; data: string } | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}

/**
 * The event stream read with fetch (EventSource cannot send a header), reopened a second after it ends
 * or fails, as EventSource would.
 */
export function followEvents(path: string, token: string, on: (event: string, data: string) => void): void {
  let stop = !token;
  const once = async () => {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (res.status === 401) {
      stop = true;
      keyRefused();
    }
    if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = parseFrame(buf.slice(0, cut));
        buf = buf.slice(cut + 2);
        if (frame) on(frame.event, frame.data);
      }
    }
  };
  const loop = () =>
    void once()
      .catch(() => undefined)
      .then(() => stop || setTimeout(loop, 1000));
  if (stop) keyRefused();
  else loop();
}

/**
 * `axi serve`'s key on the page: taken from the printed URL's `?token=` into this tab's sessionStorage
 * (per origin: other ports and host names cannot read it), then dropped from the address bar. Sent only as
 * an Authorization header to our own origin; never a cookie, which browsers would send to every port.
 */
const KEY = 'axi-serve-token';

export function serveToken(): string {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(KEY, given);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return given ?? sessionStorage.getItem(KEY) ?? '';
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
  const once = async () => {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
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
      .then(() => setTimeout(loop, 1000));
  loop();
}

/**
 * One setting a window lets the user change with one click (the list view), kept right however the server's
 * views arrive: each write is echoed to every window, possibly after the next click, and another window may change
 * the same setting meanwhile. The rule: the user's last choice stands while a write of this window is in flight;
 * after that, the server's view with the highest revision wins (the last writer, whichever window it was).
 */
export interface EchoState<T> {
  /** What the window shows. */
  shown: T;
  /** This window's writes not answered yet. */
  inFlight: number;
  /** The server's view with the highest revision seen so far. */
  latest?: { value: T; revision: number };
}

export function echoStart<T>(shown: T): EchoState<T> {
  return { shown, inFlight: 0 };
}

/** The user chose `value`: shown at once, its write in flight. */
export function echoChosen<T>(s: EchoState<T>, value: T): EchoState<T> {
  return { ...s, shown: value, inFlight: s.inFlight + 1 };
}

/** A view from the server (the first read, an event, a write's answer): kept if newer, shown unless a write is in flight. */
export function echoServer<T>(s: EchoState<T>, value: T, revision: number): EchoState<T> {
  const latest = !s.latest || revision > s.latest.revision ? { value, revision } : s.latest;
  return { ...s, latest, shown: s.inFlight ? s.shown : latest.value };
}

/** One of this window's writes ended, with the server's answer, or none when it failed. */
export function echoSettled<T>(s: EchoState<T>, answer?: { value: T; revision: number }): EchoState<T> {
  const t = answer ? echoServer(s, answer.value, answer.revision) : s;
  const inFlight = Math.max(0, t.inFlight - 1);
  return { ...t, inFlight, shown: inFlight || !t.latest ? t.shown : t.latest.value };
}

import { createContext, useCallback, useContext, useState } from 'react';
import { api, ApiFailure } from '../bridge';

/** The host-access dialog asked for: the instance (its id), and what to do once a person allowed it. */
export interface TrustAsk {
  id: string;
  /** The refused operation, run again after "Allow once" or "Always trust". */
  retry: () => void;
}

/** Opens the host-access dialog; an operation refused as NOT_TRUSTED asks through this instead of failing. */
export const AskTrust = createContext<(ask: TrustAsk) => void>(() => undefined);

/** A start asked from outside a card (the tray): refused for host access again, it asks again; else the card says. */
function startAsking(id: string, open: (a: { id: string }) => void): void {
  void api.startInstance(id).catch((e) => isNotTrusted(e) && open({ id }));
}

/**
 * The window's one host-access dialog: which instance it asks about, if any; without a `retry` of its own
 * (the tray's "Start…") the answer starts it. A new window opened by the tray asks at `#trust=ID` (an event
 * would arrive before it listens).
 */
export function useTrustDialog() {
  const [asked, setAsk] = useState<{ id: string; retry?: () => void } | null>(() => {
    const m = /^#trust=(.+)$/.exec(window.location.hash);
    return m ? { id: decodeURIComponent(m[1]!) } : null;
  });
  const open = useCallback((a: { id: string; retry?: () => void }) => setAsk(a), []);
  const openStart = useCallback((id: string) => setAsk({ id }), []);
  const close = useCallback(() => {
    setAsk(null);
    if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);
  const ask: TrustAsk | null = asked && { id: asked.id, retry: asked.retry ?? (() => startAsking(asked.id, open)) };
  return { ask, open, openStart, close };
}

/** Whether a refusal is for host access no person accepted yet. */
export const isNotTrusted = (e: unknown) => e instanceof ApiFailure && e.code === 'NOT_TRUSTED';

/**
 * An operation run so that a NOT_TRUSTED refusal opens the dialog (and runs it again if allowed);
 * `failed` hears every other failure.
 */
export function useTrustedRun() {
  const ask = useContext(AskTrust);
  return useCallback(
    function go<T>(id: string, fn: () => Promise<T>, then: (r: T) => void, failed: (e: Error) => void): void {
      fn()
        .then(then)
        .catch((e: Error) => (isNotTrusted(e) ? ask({ id, retry: () => go(id, fn, then, failed) }) : failed(e)));
    },
    [ask],
  );
}

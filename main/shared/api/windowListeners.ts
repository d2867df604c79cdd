import type { ApiEventName } from './table';

/**
 * The window side's event listeners (Electron's preload and `axi serve`'s bridge alike). Events arrive as soon
 * as the channel is open, before React has mounted and subscribed: an overview pushed in that gap (a tunnel
 * that just opened, say) would be lost, and the window would show the older overview until the next change,
 * which may never come. So the last overview is kept and handed to each new overview listener at once.
 */
export function windowListeners() {
  const listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  let lastOverview: { payload: unknown } | undefined;
  return {
    dispatch(event: ApiEventName, payload: unknown): void {
      if (event === 'overview') lastOverview = { payload };
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    on(event: ApiEventName, listener: (p: unknown) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      if (event === 'overview' && lastOverview) listener(lastOverview.payload);
      return () => set.delete(listener);
    },
  };
}

import type { ApiEventName, ApiEvents } from '../../shared/api/table';

type Listener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;
export type AnyListener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

/**
 * The table's events, typed: what the controller's parts push, and the one
 * place every front end takes them from. IPC and SSE subscribe with `onAny`
 * and forward every event to their windows or tabs; main's own listeners
 * (tray, OS notifications) subscribe to the event they need.
 */
export class ApiEventBus {
  private readonly listeners = new Map<ApiEventName, Set<Listener<never>>>();
  private readonly any = new Set<AnyListener>();

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<E>)(payload);
    for (const l of this.any) l(event, payload);
  }

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends ApiEventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => void set.delete(listener);
  }

  /** Subscribes to every event of the table (the IPC and SSE fan-out). */
  onAny(listener: AnyListener): () => void {
    this.any.add(listener);
    return () => void this.any.delete(listener);
  }
}

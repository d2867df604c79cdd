import type { NotificationView } from '../api/table';

/** A notification on screen in the window: its id (for its timer) and, for merged "ready" ones, the instances. */
export interface ToastItem extends NotificationView {
  id: number;
  names: string[];
}

/** More would cover the window: the oldest goes when a fourth arrives. */
export const MAX_TOASTS = 3;

/** "auth is ready", "auth and billing are ready", "auth, billing and 3 more are ready". */
export function readyTitle(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is ready`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are ready`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more are ready`;
}

/** Says what `t` says already: the same words, or news of the same kind about the same instance (the latest wins). */
function sameNews(t: ToastItem, note: NotificationView): boolean {
  if (t.kind !== note.kind) return false;
  if (t.title === note.title && t.body === note.body) return true;
  return note.instance !== null && t.instance === note.instance && note.kind !== 'conflict';
}

/** Several instances ready at once: "healthy" only if each one's own note said every service is. */
function readyTogether(...bodies: string[]): string {
  const healthy = bodies.every((b) => b.endsWith('running and healthy.'));
  return healthy ? 'All their services are running and healthy.' : 'All their services are running.';
}

/**
 * The toasts after `note` arrives, a pure function so the rules are tested without a browser:
 * - "ready" toasts merge into one that names the instances (Start all readies many at once);
 * - a toast saying the same thing, or older news of the same kind about the same instance, is replaced;
 * - at most MAX_TOASTS, the oldest dropped first.
 */
export function withToast(list: readonly ToastItem[], note: NotificationView, id: number): ToastItem[] {
  const ready = note.kind === 'healthy' ? list.find((t) => t.kind === 'healthy') : undefined;
  if (ready && note.instance) {
    const names = [...ready.names.filter((n) => n !== note.instance), note.instance];
    const merged: ToastItem = {
      ...note,
      id,
      names,
      title: readyTitle(names),
      body: names.length > 1 ? readyTogether(ready.body, note.body) : note.body,
    };
    return [...list.filter((t) => t !== ready), merged].slice(-MAX_TOASTS);
  }
  const kept = list.filter((t) => !sameNews(t, note));
  return [...kept, { ...note, id, names: note.instance ? [note.instance] : [] }].slice(-MAX_TOASTS);
}

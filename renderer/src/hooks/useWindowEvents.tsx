import { useEffect, useLayoutEffect, useState } from 'react';
import type { NotificationView, Overview, WorktreeView } from '../../../main/shared/table';
import { api } from '../bridge';

export type Toast = NotificationView & { id: number; names?: string[] };

/** "auth is ready", "auth and billing are ready", "auth, billing and 3 more are ready". */
export function readyTitle(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is ready`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are ready`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more are ready`;
}

/**
 * Adds a toast. "Ready" toasts merge into the one on screen (Start all readies many at once, and a pile
 * of toasts would cover the cards that say the same); the merged one names the instances and shows the
 * latest when clicked.
 */
function withToast(list: Toast[], note: NotificationView, id: number): Toast[] {
  const ready = note.kind === 'healthy' ? list.find((t) => t.kind === 'healthy') : undefined;
  if (ready && note.instance) {
    const names = [...(ready.names ?? []).filter((n) => n !== note.instance), note.instance];
    const merged: Toast = {
      ...note,
      id,
      names,
      title: readyTitle(names),
      body: names.length > 1 ? 'All their services are running and healthy.' : note.body,
    };
    return [...list.filter((t) => t !== ready).slice(-3), merged];
  }
  return [...list.slice(-3), { ...note, id, names: note.instance ? [note.instance] : [] }];
}

/** Shown elsewhere already: a conflict on its instance, the engine in the banner. */
const NOT_TOASTED = new Set<NotificationView['kind']>(['conflict', 'engine-lost', 'engine-back']);

export function useOverview(initial: Overview | undefined): Overview | undefined {
  const [overview, setOverview] = useState<Overview | undefined>(initial);
  // Pushed by main on every change, never polled.
  useEffect(() => api.on('overview', setOverview), []);
  return overview;
}

/**
 * Main's notifications as toasts (those not shown in place), a new worktree's offer, and the requests
 * to show an instance (a notification or the tray was clicked) or the settings.
 */
export function useWindowEvents(on: {
  offer: (path: string, w: WorktreeView) => void;
  focus: (instance: string) => void;
  openSettings: () => void;
}): Toast[] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const { offer, focus, openSettings } = on;
  useEffect(() => {
    let n = 0;
    const offN = api.on('notification', (note) => {
      // A new worktree under `register: ask`: offered in place, like the worktrees of a folder just added.
      if (note.kind === 'worktree-offer' && note.path)
        offer(note.path, { path: note.path, branch: null, state: 'unregistered', name: null, ports: {} });
      if (NOT_TOASTED.has(note.kind)) return;
      const id = ++n;
      setToasts((t) => withToast(t, note, id));
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 8000);
    });
    const offF = api.on('focus', ({ instance }) => focus(instance));
    const offP = api.on('openPanel', openSettings);
    return () => {
      offN();
      offF();
      offP();
    };
  }, [offer, focus, openSettings]);
  return toasts;
}

/**
 * Where the header ends (px from the top), followed as it wraps: toasts sit under it, never over its
 * buttons. A narrow window puts them at the bottom instead (styles.css), where the header cannot be.
 */
function useHeaderBottom(): number {
  const [bottom, setBottom] = useState(64);
  useLayoutEffect(() => {
    const header = document.querySelector<HTMLElement>('header.top');
    if (!header) return;
    const measure = () => setBottom(Math.ceil(header.getBoundingClientRect().bottom));
    measure();
    const watch = new ResizeObserver(measure);
    watch.observe(header);
    return () => watch.disconnect();
  }, []);
  return bottom;
}

/** Main's notifications that are not shown in place; a click shows the instance. */
export function Toasts({ toasts, show }: { toasts: Toast[]; show: (instance: string) => void }) {
  const below = useHeaderBottom();
  return (
    <aside
      className="toasts"
      aria-label="notifications"
      style={{ '--toasts-top': `${below + 8}px` } as React.CSSProperties}
    >
      {toasts.map((t) => (
        <button
          type="button"
          key={t.id}
          className={`toast toast-${t.kind}`}
          onClick={() => t.instance && show(t.instance)}
        >
          <strong>{t.title}</strong>
          <span>{t.body}</span>
        </button>
      ))}
    </aside>
  );
}

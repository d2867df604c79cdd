import { useEffect, useState } from 'react';
import type { NotificationView, Overview } from '../../../main/shared/api/table';
import { withToast, type ToastItem } from '../../../main/shared/display/toasts';
import { api } from '../bridge';

export type Toast = ToastItem;

/** Shown elsewhere already: a conflict on its instance, the engine in the banner, a worktree offer in its place. */
const NOT_TOASTED = new Set<NotificationView['kind']>(['conflict', 'engine-lost', 'engine-back', 'worktree-offer']);

export function useOverview(initial: Overview | undefined): Overview | undefined {
  const [overview, setOverview] = useState<Overview | undefined>(initial);
  // Pushed by main on every change, never polled.
  useEffect(() => api.on('overview', setOverview), []);
  return overview;
}

/**
 * Main's notifications as toasts (those not shown in place: see NOT_TOASTED), and the requests to show an
 * instance (a notification or the tray was clicked) or the settings.
 */
export function useWindowEvents(on: {
  focus: (instance: string) => void;
  openSettings: () => void;
  /** The tray's "Start…" of an instance whose host access nobody accepted: its dialog. */
  openTrust: (instance: string) => void;
}): Toast[] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const { focus, openSettings, openTrust } = on;
  useEffect(() => {
    let n = 0;
    const offN = api.on('notification', (note) => {
      if (NOT_TOASTED.has(note.kind)) return;
      const id = ++n;
      setToasts((t) => withToast(t, note, id));
      // Gone after 8 s, unless focus is on it (a keyboard user reading it keeps it, and keeps focus).
      const expire = () => {
        if (document.activeElement?.closest(`[data-toast="${id}"]`)) setTimeout(expire, 2000);
        else setToasts((t) => t.filter((x) => x.id !== id));
      };
      setTimeout(expire, 8000);
    });
    const offF = api.on('focus', ({ instance }) => focus(instance));
    const offP = api.on('openPanel', (p) => (p.panel === 'trust' ? openTrust(p.instance) : openSettings()));
    return () => {
      offN();
      offF();
      offP();
    };
  }, [focus, openSettings, openTrust]);
  return toasts;
}

/**
 * Main's notifications that are not shown in place; a click shows the instance. Over the list's bottom
 * corner, out of the page's flow (a toast arriving moves no card), never over the header or the banners at
 * the list's top; while one shows, the list can scroll its last card clear of them.
 */
export function Toasts({ toasts, show }: { toasts: Toast[]; show: (instance: string) => void }) {
  if (!toasts.length) return null;
  return (
    <aside className="toasts" aria-label="notifications">
      {toasts.map((t) => (
        <button
          type="button"
          key={t.id}
          data-toast={t.id}
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

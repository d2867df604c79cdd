import { useEffect, useRef, useState } from 'react';
import { ago } from '../../../main/shared/display/instanceDisplay';
import type { SnapshotView } from '../../../main/shared/api/table';
import { snapshotSize } from '../../../main/shared/display/units';

export interface Asking {
  id: string;
  what: 'restore' | 'delete';
}

/** Its size, as `axi snapshots` says it (one function for both). */
const size = (s: SnapshotView) => (s.kind === 'clone' ? 'clone, ' : '') + snapshotSize(s);

/** "29 Nov 2026, 14:05": when it was taken, in the user's own time zone and format. */
export function snapshotName(s: SnapshotView): string {
  const t = new Date(s.createdAt);
  return Number.isNaN(t.getTime()) ? s.id : t.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * One snapshot: when (local time, and how long ago), why, how big; its id and folder as the secondary
 * text. Restore and Delete are confirmed in place, focus on the safe choice (Cancel).
 */
export function SnapshotRow(props: {
  snapshot: SnapshotView;
  instance: string;
  asking: Asking | null;
  busy: boolean;
  ask: (a: Asking | null) => void;
  act: (what: Asking['what']) => void;
}) {
  const { snapshot: s, asking, busy } = props;
  const [now] = useState(() => Date.now());
  const cancel = useRef<HTMLButtonElement>(null);
  const row = useRef<HTMLLIElement>(null);
  const asked = useRef<Asking['what'] | null>(null);
  useEffect(() => {
    if (asking) {
      cancel.current?.focus();
      asked.current = asking.what;
    } else if (asked.current && !busy) {
      // The confirm is gone (cancelled, or done and the buttons usable again): back on the button that asked.
      row.current?.querySelector<HTMLElement>(`[data-ask=${asked.current}]`)?.focus();
      asked.current = null;
    }
  }, [asking, busy]);
  const when = new Date(s.createdAt).getTime();
  return (
    <li data-snapshot={s.id} ref={row}>
      <span className="snapshot-what">
        <strong>{snapshotName(s)}</strong> · {Number.isNaN(when) ? '' : ago(when, now)} · {s.reason} · {size(s)}
        <br />
        <small className="muted" title={s.dir}>
          {s.id} · <code>{s.dir}</code>
        </small>
      </span>
      {asking ? (
        <span className="confirm">
          {asking.what === 'restore'
            ? `Replace the data of ${props.instance} with this snapshot?`
            : 'Delete this snapshot for good?'}
          <button type="button" className="danger" aria-disabled={busy} onClick={() => !busy && props.act(asking.what)}>
            {asking.what === 'restore' ? 'Restore' : 'Delete'}
          </button>
          <button type="button" ref={cancel} onClick={() => props.ask(null)} aria-disabled={busy}>
            Cancel
          </button>
        </span>
      ) : (
        <span>
          <AskButton what="restore" busy={busy} ask={() => props.ask({ id: s.id, what: 'restore' })} />
          <AskButton what="delete" busy={busy} ask={() => props.ask({ id: s.id, what: 'delete' })} />
        </span>
      )}
    </li>
  );
}

/** The button that asks to restore or delete (its confirm comes in place); the focus returns to it after. */
function AskButton(props: { what: Asking['what']; busy: boolean; ask: () => void }) {
  return (
    <button type="button" data-ask={props.what} onClick={props.ask} disabled={props.busy}>
      {props.what === 'restore' ? 'Restore…' : 'Delete…'}
    </button>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { inWindowWords } from '../../../main/shared/display/instanceDisplay';
import type { InstanceView, SnapshotView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';
import { useSteps } from '../hooks/useSteps';
import { SnapshotRow, snapshotName, type Asking } from './SnapshotRow';

/** After a delete, focus goes to the row that took its place (or the one before), else the heading. */
function focusAfterDelete(list: HTMLElement | null, index: number): void {
  const rows = [...(list?.querySelectorAll<HTMLElement>('li[data-snapshot]') ?? [])];
  const row = rows[Math.min(index, rows.length - 1)];
  (row?.querySelector<HTMLElement>('button') ?? document.getElementById('snapshots-title'))?.focus();
}

/** Restores or deletes a snapshot; resolves to the sentence that says what was done. */
function snapshotAction(i: InstanceView, s: SnapshotView, what: Asking['what']): Promise<string> {
  return what === 'restore'
    ? api
        .restoreInstance(i.id, s.id, { confirm: i.id })
        .then(
          (r) =>
            `Restored the snapshot of ${snapshotName(s)} into ${i.label}.${r.previous ? ` The data it replaced is kept as snapshot ${r.previous.id}.` : ''}`,
        )
    : api.deleteSnapshot(i.id, s.id, { confirm: i.id }).then(() => `Deleted the snapshot of ${snapshotName(s)}.`);
}

/**
 * An instance's snapshots (newest first), the one whose Restore or Delete is being confirmed, and the
 * action under way. `rows` is the list's element: a deleted row's place is focused in it once reloaded.
 */
function useSnapshots(i: InstanceView) {
  const [list, setList] = useState<SnapshotView[] | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [busy, setBusy] = useState(false);
  // A restore's result waits until the instance has settled (main's overview no longer says it is busy).
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const [progress, follow] = useSteps(i.id);
  const rows = useRef<HTMLUListElement>(null);
  // A deleted row's place: focused once the list is reloaded and its buttons are usable again.
  const deletedAt = useRef<number | null>(null);
  useEffect(() => {
    if (deletedAt.current === null || busy) return;
    focusAfterDelete(rows.current, deletedAt.current);
    deletedAt.current = null;
  }, [busy, list]);
  const load = useCallback(
    () =>
      api
        .listSnapshots(i.id)
        .then((l) => setList([...l].reverse()))
        .catch((e: Error) => setError(e.message)),
    [i.id],
  );
  useEffect(() => void load(), [load]);
  const act = (s: SnapshotView, what: Asking['what']) => {
    setBusy(true);
    setError('');
    setResult('');
    const unfollow = follow();
    const index = list?.findIndex((x) => x.id === s.id) ?? 0;
    snapshotAction(i, s, what)
      .then(async (text) => {
        setResult(text);
        setAsking(null);
        if (what === 'delete') deletedAt.current = index;
        await load();
      })
      .catch((e: Error) => setError(inWindowWords(e.message)))
      .finally(() => (unfollow(), setBusy(false)));
  };
  return { list, asking, setAsking, busy, result, error, progress, rows, act };
}

/** An instance's snapshots, newest first, with their dates and sizes; Restore and Delete each confirmed in place. */
export function SnapshotsDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const { list, asking, setAsking, busy, result, error, progress, rows, act } = useSnapshots(i);
  const close = useRef<HTMLButtonElement>(null);
  return (
    <Modal labelledBy="snapshots-title" onClose={onClose} busy={busy} initial={close} className="wide">
      <h2 id="snapshots-title" tabIndex={-1}>
        Snapshots of {i.label}
      </h2>
      {list === null && !error && <p>Reading the snapshots…</p>}
      {list?.length === 0 && <p>No snapshots yet: Reset… and Copy data from… keep one before they replace data.</p>}
      {list && list.length > 0 && (
        <ul className="snapshots" ref={rows}>
          {list.map((s) => (
            <SnapshotRow
              key={s.id}
              snapshot={s}
              instance={i.label}
              asking={asking?.id === s.id ? asking : null}
              busy={busy}
              ask={setAsking}
              act={(what) => act(s, what)}
            />
          ))}
        </ul>
      )}
      <Outcome
        progress={busy || i.busy ? progress || `${i.busy === 'restore' ? 'Restoring' : 'Working'}…` : ''}
        status={busy || i.busy ? '' : result}
        error={error}
      />
      <div className="dialog-actions">
        <button type="button" ref={close} onClick={onClose} disabled={busy}>
          Close
        </button>
      </div>
    </Modal>
  );
}

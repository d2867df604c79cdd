import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstanceView, SnapshotView } from '../../main/api/table';
import { formatBytes } from '../../main/core/units';
import { api } from './bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';

const size = (s: SnapshotView) => formatBytes(s.volumes.reduce((n, v) => n + v.bytes, 0));

/** An instance's snapshots, newest first, with their sizes; Restore and Delete each confirmed in place. */
export function SnapshotsDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [list, setList] = useState<SnapshotView[] | null>(null);
  const [asking, setAsking] = useState<{ id: string; what: 'restore' | 'delete' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const close = useRef<HTMLButtonElement>(null);
  const load = useCallback(
    () =>
      api
        .listSnapshots(i.id)
        .then((l) => setList([...l].reverse()))
        .catch((e: Error) => setError(e.message)),
    [i.id],
  );
  useEffect(() => void load(), [load]);
  const act = (id: string, what: 'restore' | 'delete') => {
    setBusy(true);
    setError('');
    const call =
      what === 'restore'
        ? api
            .restoreInstance(i.id, id, { confirm: i.id })
            .then(
              (r) =>
                `Restored ${id} into ${i.label}.${r.previous ? ` The data it replaced is kept as ${r.previous.id}.` : ''}`,
            )
        : api.deleteSnapshot(i.id, id, { confirm: i.id }).then(() => `Deleted snapshot ${id}.`);
    call
      .then((text) => (setStatus(text), setAsking(null), load()))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <Modal labelledBy="snapshots-title" onClose={onClose} busy={busy} initial={close} className="wide">
      <h2 id="snapshots-title">Snapshots of {i.label}</h2>
      {list === null && !error && <p>Reading the snapshots…</p>}
      {list?.length === 0 && <p>No snapshots yet: Reset… and Copy data from… keep one before they replace data.</p>}
      {list && list.length > 0 && (
        <ul className="snapshots">
          {list.map((s) => (
            <li key={s.id}>
              <span>
                <strong>{s.id}</strong> · {s.reason} · {size(s)} · <code title={s.dir}>{s.dir}</code>
              </span>
              {asking?.id === s.id ? (
                <span className="confirm">
                  {asking.what === 'restore'
                    ? `Replace the data of ${i.label} with this snapshot?`
                    : 'Delete this snapshot for good?'}
                  <button
                    type="button"
                    className="danger"
                    aria-disabled={busy}
                    onClick={() => !busy && act(s.id, asking.what)}
                  >
                    {asking.what === 'restore' ? 'Restore' : 'Delete'}
                  </button>
                  <button type="button" onClick={() => setAsking(null)} disabled={busy}>
                    Cancel
                  </button>
                </span>
              ) : (
                <span>
                  <button type="button" onClick={() => setAsking({ id: s.id, what: 'restore' })} disabled={busy}>
                    Restore…
                  </button>
                  <button type="button" onClick={() => setAsking({ id: s.id, what: 'delete' })} disabled={busy}>
                    Delete…
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <Outcome status={status} error={error} />
      <div className="dialog-actions">
        <button type="button" ref={close} onClick={onClose} disabled={busy}>
          Close
        </button>
      </div>
    </Modal>
  );
}

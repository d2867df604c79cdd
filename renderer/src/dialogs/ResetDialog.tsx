import { useRef, useState } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { inWindowWords } from '../../../main/shared/display/instanceDisplay';
import { api } from '../bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';
import { useSteps } from '../hooks/useSteps';

/** Names what a reset deletes, and that a snapshot is kept first (unless unticked). */
export function ResetDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [snapshot, setSnapshot] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [progress, follow] = useSteps(i.id);
  const [done, setDone] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  // What the dialog says is what the user agreed to: read once at open, so it does not flip while the
  // reset stops and starts the instance (the overview it is rendered from follows the engine).
  const [at] = useState(() => ({ up: i.status === 'running' || i.status === 'partial', volumes: i.volumes }));
  const up = at.up;
  const reset = () => {
    setBusy(true);
    setError('');
    const unfollow = follow();
    api
      .resetInstance(i.id, { snapshot, confirm: i.id })
      .then((r) => {
        const kept = r.snapshot
          ? `The old data is in snapshot ${r.snapshot.id} (${r.snapshot.dir}).`
          : 'No snapshot was kept.';
        setDone(`${i.label} was reset${up ? ' and started again' : '; it stays stopped'}. ${kept}`);
        cancel.current?.focus();
      })
      .catch((e: Error) => setError(inWindowWords(e.message)))
      .finally(() => (unfollow(), setBusy(false)));
  };
  return (
    <Modal labelledBy="reset-title" onClose={onClose} busy={busy} initial={cancel}>
      <h2 id="reset-title">Reset {i.label}?</h2>
      <p>
        This empties the databases of <strong>{i.label}</strong>: the volumes{' '}
        {at.volumes.map((v, k) => (
          <span key={v}>
            {k > 0 && ', '}
            <code>{v}</code>
          </span>
        ))}{' '}
        are deleted and created again, fresh. {up ? 'It is started again after.' : 'It stays stopped.'}
      </p>
      <label className="check">
        <input type="checkbox" checked={snapshot} onChange={(e) => setSnapshot(e.target.checked)} /> Keep a snapshot
        first (restore it later from <strong>Snapshots…</strong> on its card)
      </label>
      {!snapshot && <p className="error">Without a snapshot the current data is gone for good.</p>}
      <Outcome progress={busy ? progress : ''} status={done} error={error} />
      <div className="dialog-actions">
        <button type="button" ref={cancel} onClick={onClose} aria-disabled={busy}>
          {done ? 'Close' : 'Cancel'}
        </button>
        {!done && (
          <button type="button" className="danger" aria-disabled={busy} onClick={busy ? undefined : reset}>
            {busy ? 'Resetting…' : `Reset ${i.label}`}
          </button>
        )}
      </div>
    </Modal>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { InstanceView } from '../../main/api/table';
import { api } from './bridge';

/** Names what a reset deletes, and that a snapshot is kept first (unless unticked). */
export function ResetDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [snapshot, setSnapshot] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="reset-title">
        <h2 id="reset-title">Reset {i.label}?</h2>
        <p>
          This empties the databases of <strong>{i.label}</strong>: the volumes{' '}
          {i.volumes.map((v, k) => (
            <span key={v}>
              {k > 0 && ', '}
              <code>{v}</code>
            </span>
          ))}{' '}
          are deleted and created again, fresh.
        </p>
        <label className="check">
          <input type="checkbox" checked={snapshot} onChange={(e) => setSnapshot(e.target.checked)} /> Keep a snapshot
          first (restore it later with <code>axi restore {i.label}</code>)
        </label>
        {!snapshot && <p className="error">Without a snapshot the current data is gone for good.</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" ref={cancel} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              api
                .resetInstance(i.id, { snapshot, confirm: i.id })
                .then(onClose)
                .catch((e: Error) => setError(e.message))
                .finally(() => setBusy(false));
            }}
          >
            {busy ? 'Resetting…' : `Reset ${i.label}`}
          </button>
        </div>
      </div>
    </div>
  );
}

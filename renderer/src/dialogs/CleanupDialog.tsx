import { useEffect, useRef, useState } from 'react';
import type { CleanupItemView, CleanupPlanView } from '../../../main/shared/api/table';
import { formatBytes } from '../../../main/shared/display/units';
import { api } from '../bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';

function itemText(i: CleanupItemView): string {
  if (i.kind === 'volume') return `${i.name} (${formatBytes(i.bytes)})`;
  if (i.kind === 'registration') return `${i.name} (folder gone: ${i.detail})`;
  return i.detail ? `${i.name} (${i.detail})` : i.name;
}

const KINDS: [CleanupItemView['kind'], string][] = [
  ['volume', 'Volumes (their data is deleted)'],
  ['registration', 'Registrations'],
  ['container', 'Containers'],
  ['network', 'Networks'],
];

/**
 * The dry run first: what a cleanup would remove, volumes with their sizes. Only the confirm button
 * removes, and only that list (main refuses when it has changed since).
 */
export function CleanupDialog({ onClose }: { onClose: () => void }) {
  const [plan, setPlan] = useState<CleanupPlanView>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    api
      .planCleanup()
      .then(setPlan)
      .catch((e: Error) => setError(e.message));
  }, []);
  const apply = () => {
    setBusy(true);
    api
      .applyCleanup({ token: plan!.token })
      .then((r) => setDone(`Removed ${r.removed.length} item(s); reclaimed ${formatBytes(r.reclaimedBytes)}.`))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  const volumes = plan?.items.filter((i) => i.kind === 'volume').length ?? 0;
  return (
    <Modal labelledBy="cleanup-title" onClose={onClose} busy={busy} initial={cancel}>
      <h2 id="cleanup-title">Clean up gone and orphaned instances?</h2>
      {!plan && !error && <p>Looking for what no registration owns…</p>}
      {plan && !done && plan.items.length === 0 && <p>Nothing to clean up.</p>}
      {plan && !done && plan.items.length > 0 && (
        <>
          <p>
            Dry run: this would remove the following and reclaim <strong>{formatBytes(plan.reclaimableBytes)}</strong>.
          </p>
          {KINDS.map(([kind, title]) => {
            const items = plan.items.filter((i) => i.kind === kind);
            return items.length ? (
              <section key={kind} aria-label={title}>
                <h3>{title}</h3>
                <ul className="cleanup-list">
                  {items.map((i) => (
                    <li key={i.name}>
                      <code>{itemText(i)}</code>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null;
          })}
          {volumes > 0 && <p className="error">No snapshot is taken: the volumes’ data is gone for good.</p>}
        </>
      )}
      {plan && !done && plan.unowned.length > 0 && (
        // Not axi's (no registry label: the scripts', hand-made): listed, never removed from here.
        <p className="note" data-testid="cleanup-unowned">
          Kept: {plan.unowned.length} unowned volume(s) ({plan.unowned.map((i) => i.name).join(', ')}); only{' '}
          <code>axi cleanup --volumes --unowned</code> deletes them.
        </p>
      )}
      <Outcome status={done} error={error} />
      <div className="dialog-actions">
        <button type="button" ref={cancel} onClick={onClose} disabled={busy}>
          {done ? 'Close' : 'Cancel'}
        </button>
        {plan && !done && plan.items.length > 0 && (
          <button type="button" className="danger" disabled={busy} onClick={apply}>
            {busy ? 'Cleaning up…' : `Remove ${plan.items.length} item(s)`}
          </button>
        )}
      </div>
    </Modal>
  );
}

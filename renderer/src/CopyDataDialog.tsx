import { useCallback, useEffect, useRef, useState } from 'react';
import type { CloneDataPlanView, CloneDataView, InstanceView } from '../../main/api/table';
import { api } from './bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';
import { useSteps } from './useSteps';

/**
 * "Copy data from…": pick a source among the other instances of the repository (its main checkout
 * first), see which volumes are copied, and confirm by the target's name: its data is replaced after a
 * snapshot. A running target is refused, with a way to stop it here.
 */
export function CopyDataDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [plan, setPlan] = useState<CloneDataPlanView | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [busy, setBusy] = useState('');
  const [progress, follow] = useSteps(i.id);
  const [error, setError] = useState('');
  const [done, setDone] = useState<CloneDataView | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const replace = useRef<HTMLButtonElement>(null);

  const load = useCallback(
    (from: string | null) =>
      api
        .cloneDataPlan(i.id, { source: from })
        .then((p) => (setPlan(p), setSource(p.source), setError('')))
        .catch((e: Error) => setError(e.message)),
    [i.id],
  );
  useEffect(() => void load(null), [load]);

  const step = (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setError('');
    const unfollow = follow();
    fn()
      .catch((e: Error) => setError(e.message))
      .finally(() => (unfollow(), setBusy('')));
  };
  // The Stop it button goes once it is stopped: focus moves on to the next step, never to the page.
  const stopIt = () =>
    step('Stopping…', () =>
      api
        .stopInstance(i.id)
        .then(() => load(source))
        .then(() => setTimeout(() => (replace.current ?? cancel.current)?.focus(), 0)),
    );
  const startIt = () => step('Starting…', () => api.startInstance(i.id).then(onClose));
  const copy = () =>
    step('Copying…', () => api.cloneData(i.id, { source: source!, confirm: i.id }).then((r) => setDone(r)));
  const from = plan?.sources.find((s) => s.id === source);
  // The live status (the window's overview follows the engine), not the plan's moment.
  const running = i.status === 'running' || i.status === 'partial';

  return (
    <Modal labelledBy="copy-title" onClose={onClose} busy={Boolean(busy)} initial={cancel}>
      <h2 id="copy-title">Copy data into {i.label}</h2>
      {plan && !plan.sources.length && (
        <p>No other instance of this repository is registered: register its main checkout first.</p>
      )}
      {plan && plan.sources.length > 0 && !done && (
        <>
          <label className="field">
            From{' '}
            <select
              aria-label="copy data from"
              value={source ?? ''}
              disabled={Boolean(busy)}
              onChange={(e) => void load(e.target.value)}
            >
              {plan.sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.main ? `main (${s.label})` : s.label}
                </option>
              ))}
            </select>
          </label>
          <ul className="pairs" aria-label="volumes copied">
            {plan.pairs.map((p) => (
              <li key={p.key}>
                <code>{p.from}</code> → <code>{p.to}</code>
              </li>
            ))}
          </ul>
          {plan.unmatched.length > 0 && (
            <p className="muted">Left alone (no match on the other side): {plan.unmatched.join(', ')}</p>
          )}
          <p>
            The data of <strong>{i.label}</strong> is replaced by {from?.label ?? 'the source'}&apos;s. A snapshot of it
            is kept first (undo it from <strong>Snapshots…</strong> on its card). A running source is paused only for
            the copy.
          </p>
          {running && (
            <p className="error" role="alert">
              {i.label} is running: its data can only be replaced while it is stopped.{' '}
              <button type="button" onClick={busy ? undefined : stopIt} aria-disabled={Boolean(busy)}>
                Stop it
              </button>
            </p>
          )}
        </>
      )}
      {done && (
        <p role="status" aria-label="copy result">
          Copied {done.copied.map((p) => `${p.from} → ${p.to}`).join(', ')} in {(done.pausedMs / 1000).toFixed(1)} s.
          {done.snapshot && ` Snapshot ${done.snapshot.id} of the previous data kept.`} {i.label} is stopped with the
          copied data.
        </p>
      )}
      <Outcome progress={busy ? progress : ''} error={error} />
      <div className="dialog-actions">
        <button type="button" ref={cancel} onClick={onClose} disabled={Boolean(busy)}>
          {done ? 'Close' : 'Cancel'}
        </button>
        {done && (
          <button type="button" onClick={startIt} disabled={Boolean(busy)}>
            {busy === 'Starting…' ? busy : `Start ${i.label}`}
          </button>
        )}
        {!done && (
          <button
            type="button"
            ref={replace}
            className="danger"
            disabled={Boolean(busy) || !plan?.pairs.length || running || !source}
            onClick={copy}
          >
            {busy === 'Copying…' ? busy : `Replace ${i.label}'s data`}
          </button>
        )}
      </div>
    </Modal>
  );
}

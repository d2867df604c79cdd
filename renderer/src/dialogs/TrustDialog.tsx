import { useEffect, useRef, useState } from 'react';
import type { HostAccessView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';
import type { TrustAsk } from '../hooks/askTrust';

/**
 * Before a compose file's first start, and whenever what it reaches changes: the paths, the Docker socket,
 * `privileged`, host namespaces… listed, and a person's answer. "Allow once" remembers nothing; "Always trust"
 * remembers it as `axi trust` does (asked again when it changes). Cancel starts nothing.
 */
export function TrustDialog({ ask, onClose }: { ask: TrustAsk; onClose: () => void }) {
  const [view, setView] = useState<HostAccessView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // Focus starts on Cancel, the safe choice, and stays put while the file is read (a changing `initial`
  // would re-open the layer and lose where focus came from).
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    api
      .hostAccess(ask.id)
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, [ask.id]);
  const answer = (remember: 'once' | 'always') => {
    if (!view || busy) return;
    setBusy(true);
    setError('');
    api
      .trustHostAccess(ask.id, { hash: view.hash, remember })
      .then(() => {
        onClose();
        ask.retry();
      })
      .catch((e: Error) => (setError(e.message), setBusy(false)));
  };
  const label = view?.label ?? ask.id;
  return (
    <Modal labelledBy="trust-title" onClose={onClose} busy={busy} initial={cancel} className="wide">
      <h2 id="trust-title">
        {view && view.items.length === 0 && view.policy
          ? `Let ${label}'s repository act on its own?`
          : `Let ${label} reach this machine?`}
      </h2>
      {view && view.items.length > 0 && (
        <>
          <p>
            Its compose file <code>{view.file}</code> gives its containers access beyond its folder:
          </p>
          <ul className="reach" aria-label="what it reaches on the host">
            {view.items.map((r, k) => (
              <li key={k}>
                <strong>{r.service}</strong>: {r.key} <code>{r.value}</code>
              </li>
            ))}
          </ul>
          <p className="muted">
            Start it only if you trust this repository. <strong>Always trust</strong> remembers this, as{' '}
            <code>axi trust</code> does; you are asked again when what it reaches changes.
            {view.policy && (
              <>
                {' '}
                It also accepts the worktrees policy of {view.repository} ({view.policy}).
              </>
            )}
          </p>
        </>
      )}
      {view && view.items.length === 0 && !view.policy && (
        <p>Its compose file reaches nothing beyond its folder now.</p>
      )}
      {view && view.items.length === 0 && view.policy && (
        <p>
          The worktrees policy of <code>{view.repository}</code> acts on its own ({view.policy}).{' '}
          <strong>Always trust</strong> accepts it, as <code>axi trust</code> does; you are asked again when it changes.
        </p>
      )}
      <Outcome progress={view || error ? '' : 'Reading its compose file…'} error={error} />
      <div className="dialog-actions">
        <button type="button" ref={cancel} onClick={onClose} aria-disabled={busy}>
          Cancel
        </button>
        {view && (
          <>
            {/* Once is for what a start reaches; a policy acts later, on its own: only Always accepts it. */}
            {view.items.length > 0 && (
              <button type="button" aria-disabled={busy} onClick={() => answer('once')}>
                Allow once
              </button>
            )}
            <button type="button" className="danger" aria-disabled={busy} onClick={() => answer('always')}>
              Always trust
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}

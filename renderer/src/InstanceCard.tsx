import { useState } from 'react';
import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../main/api/table';
import { engineLabel } from '../../main/core/engine';
import { api } from './bridge';
import { ActButton } from './card/ActButton';
import { CardConflict } from './card/CardConflict';
import { PortChips } from './card/PortChips';
import { RemoveConfirm } from './card/RemoveConfirm';
import { ServiceDetails } from './card/ServiceDetails';
import { Outcome } from './Outcome';
import { StatePill } from './StatePill';
import { UsageLine } from './UsageLine';

export interface CardActions {
  onReset: () => void;
  onLogs: () => void;
  onCopyData: () => void;
  onPolicy: () => void;
  onSnapshots: () => void;
}

/** Start, stop and remove run here; their progress and failure are shown on the card, focus stays on it. */
function useCardRun(i: InstanceView) {
  const [progress, setProgress] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const run = (fn: () => Promise<unknown>, done?: (r: unknown) => string) => {
    setError('');
    setNote('');
    const off = api.on('progress', (p) => p.instance === i.id && setProgress(p.line));
    fn()
      .then((r) => done && setNote(done(r)))
      .catch((e: Error) => setError(e.message))
      .finally(() => {
        off();
        setProgress('');
      });
  };
  return { progress, note, setNote, error, setError, run };
}

export function InstanceCard(
  props: {
    instance: InstanceView;
    engine: EngineState | undefined;
    conflicts: ConflictView[];
    fresh: boolean;
    desktop: boolean;
    /** CPU, memory and disk from the last stats sample (asked only while the window is visible). */
    usage?: InstanceStatsView;
  } & CardActions,
) {
  const i = props.instance;
  const r = useCardRun(i);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const busy = Boolean(i.busy);
  const up = i.status === 'running' || i.status === 'partial';

  return (
    <article
      id={`instance-${i.label}`}
      data-instance={i.id}
      tabIndex={-1}
      className={`card status-${i.status}${props.fresh ? ' fresh' : ''}`}
      aria-label={`instance ${i.label}`}
      aria-busy={busy}
    >
      <header>
        <h3>{i.label}</h3>
        {i.main && <span className="badge">main</span>}
        {i.branch && (
          <span className="branch" title={`branch ${i.branch}`}>
            {i.branch}
          </span>
        )}
        <StatePill instance={i} engine={props.engine} />
      </header>
      {i.gone && (
        <p className="error" role="alert">
          The folder is gone (a removed worktree?). Forget this instance with Remove, or clean up its containers with{' '}
          <code>axi cleanup</code>.
        </p>
      )}
      <p className="folder" title={i.folder}>
        {i.folder}
        {i.bind !== '127.0.0.1' && (
          <span className="bind" title={`ports published on ${i.bind}: reachable from other machines`}>
            {' '}
            · LAN ({i.bind})
          </span>
        )}
        {i.engine && (
          <span className="engine" title={`on the Docker engine ${i.engine}`}>
            {' '}
            · engine {engineLabel(i.engine)}
          </span>
        )}
      </p>
      <UsageLine usage={props.usage} />
      <CardConflict instance={i} conflicts={props.conflicts} onMoved={r.setNote} />
      <PortChips instance={i} onError={r.setError} />
      <ServiceDetails instance={i} />
      <div className="actions" role="group" aria-label={`actions for ${i.label}`}>
        <ActButton
          data-act="start"
          off={busy || i.status === 'running'}
          onAct={() => r.run(() => api.startInstance(i.id))}
        >
          Start
        </ActButton>
        <ActButton data-act="stop" off={busy || !up} onAct={() => r.run(() => api.stopInstance(i.id))}>
          Stop
        </ActButton>
        <ActButton data-act="logs" off={i.status === 'not-created' || i.status === 'unknown'} onAct={props.onLogs}>
          Logs
        </ActButton>
        <ActButton off={busy} onAct={props.onReset} aria-haspopup="dialog">
          Reset…
        </ActButton>
        <ActButton off={false} onAct={props.onSnapshots} aria-haspopup="dialog">
          Snapshots…
        </ActButton>
        <ActButton off={busy || i.gone} onAct={props.onCopyData} aria-haspopup="dialog">
          Copy data from…
        </ActButton>
        {(i.main || i.branch !== null) && (
          <button
            type="button"
            onClick={props.onPolicy}
            aria-haspopup="dialog"
            title="how this repository's worktrees are followed"
          >
            Worktree policy…
          </button>
        )}
        {props.desktop && (
          <button type="button" onClick={() => r.run(() => api.revealFolder(i.id))}>
            Open folder
          </button>
        )}
        {confirmRemove ? (
          <RemoveConfirm
            instance={i}
            onRemove={() => r.run(() => api.removeInstance(i.id, { down: true }))}
            onKeep={() => setConfirmRemove(false)}
          />
        ) : (
          <ActButton data-act="remove" off={busy} onAct={() => setConfirmRemove(true)}>
            Remove
          </ActButton>
        )}
      </div>
      <Outcome progress={busy ? r.progress : ''} status={r.note} error={r.error || i.error || ''} />
      {props.fresh && (
        <p className="files">
          Wrote {i.files.map((f) => f.split('/').pop()).join(' and ')} in {i.folder}
        </p>
      )}
    </article>
  );
}

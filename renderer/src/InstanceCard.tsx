import { memo, useState } from 'react';
import { conflictsOf } from '../../main/api/instanceDisplay';
import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../main/api/table';
import { engineLabel } from '../../main/core/engine';
import { api } from './bridge';
import { CardButtons } from './card/CardButtons';
import { CardConflict } from './card/CardConflict';
import { PortChips } from './card/PortChips';
import { ServiceDetails } from './card/ServiceDetails';
import { Outcome } from './Outcome';
import { StatePill } from './StatePill';
import { UsageLine } from './UsageLine';

/** What a card opens: a dialog, or the logs pane. */
export type Panel = 'reset' | 'snapshots' | 'copy' | 'policy' | 'logs';

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

/** One instance. Memoised: the search hides cards without rendering them again (see InstanceList). */
export const InstanceCard = memo(function InstanceCard(props: {
  instance: InstanceView;
  engine: EngineState | undefined;
  /** Every conflict (a stable list); the card picks its own. */
  conflicts: ConflictView[];
  fresh: boolean;
  desktop: boolean;
  /** CPU, memory and disk from the last stats sample (asked only while the window is visible). */
  usage?: InstanceStatsView;
  open: (panel: Panel, i: InstanceView) => void;
}) {
  const i = props.instance;
  const r = useCardRun(i);
  const busy = Boolean(i.busy);

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
          <span className="engine-of" title={`on the Docker engine ${i.engine}`}>
            {' '}
            · engine {engineLabel(i.engine)}
          </span>
        )}
      </p>
      <UsageLine usage={props.usage} />
      <CardConflict instance={i} conflicts={conflictsOf(i, props.conflicts)} onMoved={r.setNote} />
      <PortChips instance={i} onError={r.setError} />
      <ServiceDetails instance={i} />
      <CardButtons instance={i} desktop={props.desktop} run={r.run} open={(panel) => props.open(panel, i)} />
      <Outcome progress={busy ? r.progress : ''} status={r.note} error={r.error || i.error || ''} />
      {props.fresh && (
        <p className="files">
          Wrote {i.files.map((f) => f.split('/').pop()).join(' and ')} in {i.folder}
        </p>
      )}
    </article>
  );
});

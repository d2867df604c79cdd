import { memo } from 'react';
import { conflictsOf, isMainCheckout } from '../../../main/shared/display/instanceDisplay';
import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../../main/shared/api/table';
import { engineLabel } from '../../../main/shared/display/engine';
import { CardButtons } from './CardButtons';
import { CardConflict } from './CardConflict';
import { CardMessage, useCardRun } from './CardMessage';
import { NameLink } from './NameLink';
import { PortChips } from './PortChips';
import { ServiceDetails } from './ServiceDetails';
import { StackLine } from './StackLine';
import { TunnelLine } from './TunnelLine';
import { TrustLine } from './TrustLine';
import { StatePill } from './StatePill';
import { UsageLine, usageNow } from './UsageLine';
import type { Panel } from './panel';

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
  const conflicts = conflictsOf(i, props.conflicts);

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
        {isMainCheckout(i) && <span className="badge">main checkout</span>}
        {i.branch && (
          <span className="branch" title={`branch ${i.branch}`}>
            {i.branch}
          </span>
        )}
        <StatePill instance={i} engine={props.engine} />
      </header>
      {i.gone && (
        <p className="error" role="alert">
          The folder is gone (a removed worktree?). Forget this instance with Remove, or clean up its containers and
          volumes with <strong>Clean up…</strong> at the top.
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
      <UsageLine usage={usageNow(props.usage, i)} />
      <TunnelLine instance={i} onError={(text) => r.say('bad', text)} />
      <StackLine instance={i} />
      <TrustLine instance={i} run={r.run} />
      <CardConflict instance={i} conflicts={conflicts} run={r.run} say={r.say} />
      <NameLink instance={i} />
      <PortChips instance={i} held={conflicts.map((c) => c.service)} onError={(text) => r.say('bad', text)} />
      <ServiceDetails instance={i} />
      <CardButtons instance={i} desktop={props.desktop} run={r.run} open={(panel) => props.open(panel, i)} />
      <CardMessage
        instance={i}
        progress={r.progress}
        message={r.message}
        clear={r.clear}
        run={r.run}
        say={r.say}
        conflictPorts={conflicts.map((c) => c.port)}
      />
      {props.fresh && (
        <p className="files">
          Wrote {i.files.map((f) => f.split('/').pop()).join(' and ')} in {i.folder}
        </p>
      )}
    </article>
  );
});

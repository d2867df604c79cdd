import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../../main/api/table';
import { conflictsOf, isMainCheckout } from '../../../main/api/instanceDisplay';
import { usageLine } from '../../../main/core/units';
import { api } from '../bridge';
import { ActButton } from '../card/ActButton';
import { StatePill } from '../StatePill';
import { hasUsage } from '../UsageLine';

/** The compact view: one row an instance, its state, ports and cost, and the everyday actions. */
export function InstanceTable(props: {
  instances: InstanceView[];
  engine: EngineState | undefined;
  conflicts: ConflictView[];
  usage: Record<string, InstanceStatsView | undefined>;
  onLogs: (i: InstanceView) => void;
  onShowCard: (i: InstanceView) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Branch</th>
            <th scope="col">State</th>
            <th scope="col">Ports</th>
            <th scope="col">Use</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.instances.map((i) => {
            const busy = Boolean(i.busy);
            const up = i.status === 'running' || i.status === 'partial';
            const conflict = conflictsOf(i, props.conflicts).length > 0;
            const usage = props.usage[i.id];
            return (
              <tr key={i.id} data-instance={i.id} tabIndex={-1} aria-label={`instance ${i.label}`}>
                <th scope="row">
                  <button
                    type="button"
                    className="link name"
                    onClick={() => props.onShowCard(i)}
                    title={`${i.label}: show its card`}
                  >
                    {i.label}
                  </button>
                  {isMainCheckout(i) && <span className="badge">main checkout</span>}
                  {conflict && <span className="badge bad">port conflict</span>}
                  {i.error && (
                    <span className="badge bad" title={i.error}>
                      failed
                    </span>
                  )}
                </th>
                <td className="branch-cell">{i.branch ?? ''}</td>
                <td>
                  <StatePill instance={i} engine={props.engine} />
                </td>
                <td className="ports-cell">
                  {Object.entries(i.ports)
                    .map(([k, p]) => `${k} ${p}`)
                    .join(' · ')}
                </td>
                <td className="muted">{hasUsage(usage) ? usageLine(usage) : ''}</td>
                <td className="row-actions">
                  <ActButton
                    data-act="start"
                    off={busy || i.status === 'running'}
                    onAct={() => void api.startInstance(i.id).catch(() => undefined)}
                  >
                    Start
                  </ActButton>
                  <ActButton
                    data-act="stop"
                    off={busy || !up}
                    onAct={() => void api.stopInstance(i.id).catch(() => undefined)}
                  >
                    Stop
                  </ActButton>
                  <ActButton
                    data-act="logs"
                    off={i.status === 'not-created' || i.status === 'unknown'}
                    onAct={() => props.onLogs(i)}
                  >
                    Logs
                  </ActButton>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

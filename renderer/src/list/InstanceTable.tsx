import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../../main/shared/api/table';
import { conflictsOf, isMainCheckout } from '../../../main/shared/display/instanceDisplay';
import { usageLine } from '../../../main/shared/display/units';
import { api } from '../bridge';
import { useState } from 'react';
import { EverydayButtons, moreItems } from '../card/CardButtons';
import { MoreMenu } from '../card/MoreMenu';
import { RemoveConfirm } from '../card/RemoveConfirm';
import type { Panel } from '../card/panel';
import { StatePill } from '../card/StatePill';
import { hasUsage, usageNow } from '../card/UsageLine';
import { useTrustedRun } from '../hooks/askTrust';
import { PortCell } from './PortCell';

/** A row's actions: the everyday ones, and every other one behind More (Remove confirmed in the row). */
function RowActions(props: {
  instance: InstanceView;
  desktop: boolean;
  open: (panel: Panel, i: InstanceView) => void;
}) {
  const { instance: i } = props;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const busy = Boolean(i.busy);
  const open = (panel: Panel) => () => props.open(panel, i);
  // The row shows no messages: a failure lands on the instance's error, shown by the row's "failed" badge;
  // host access nobody accepted yet opens the dialog that asks.
  const trusted = useTrustedRun();
  const run = (fn: () => Promise<unknown>) =>
    trusted(
      i.id,
      fn,
      () => undefined,
      () => undefined,
    );
  if (confirmRemove)
    return (
      <RemoveConfirm
        instance={i}
        onRemove={() => run(() => api.removeInstance(i.id, { down: true }))}
        onKeep={() => setConfirmRemove(false)}
      />
    );
  return (
    <>
      <EverydayButtons instance={i} run={run} onLogs={open('logs')} />
      <MoreMenu
        label={`more actions for ${i.label}`}
        items={[
          { label: 'Reset…', dialog: true, off: busy, act: open('reset') },
          ...moreItems(i, props.desktop, open, run, setConfirmRemove),
        ]}
      />
    </>
  );
}

/**
 * A branch that breaks only after a `/` ("feature/" then "login"), never inside a word; a part too long
 * for the column ends in "…" (the cell's title has it whole).
 */
function BranchName({ branch }: { branch: string | null | undefined }) {
  if (!branch) return null;
  const parts = branch.split(/(?<=\/)/);
  return (
    <>
      {parts.map((p, n) => (
        <span key={n} className="branch-part">
          {p}
        </span>
      ))}
    </>
  );
}

/** The compact view: one row an instance, its state, ports and cost, and the everyday actions. */
export function InstanceTable(props: {
  instances: InstanceView[];
  engine: EngineState | undefined;
  conflicts: ConflictView[];
  usage: Record<string, InstanceStatsView | undefined>;
  desktop: boolean;
  open: (panel: Panel, i: InstanceView) => void;
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
            const conflict = conflictsOf(i, props.conflicts).length > 0;
            const usage = usageNow(props.usage[i.id], i);
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
                <td className="branch-cell" title={i.branch ? `branch ${i.branch}` : undefined}>
                  <BranchName branch={i.branch} />
                </td>
                <td>
                  <StatePill instance={i} engine={props.engine} row />
                </td>
                <td className="ports-cell">
                  <PortCell instance={i} held={conflictsOf(i, props.conflicts).map((c) => c.service)} />
                </td>
                <td className="muted">{hasUsage(usage) ? usageLine(usage) : ''}</td>
                <td className="row-actions">
                  <RowActions instance={i} desktop={props.desktop} open={props.open} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

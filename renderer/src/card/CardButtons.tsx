import { useState } from 'react';
import { isMainCheckout } from '../../../main/shared/display/instanceDisplay';
import type { InstanceView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import type { Panel } from './panel';
import { ActButton } from './ActButton';
import { type MenuItem, MoreMenu } from './MoreMenu';
import { RemoveConfirm } from './RemoveConfirm';

/** What a card (or a table row) keeps behind More: the actions used less often. */
export function moreItems(
  i: InstanceView,
  desktop: boolean,
  open: (panel: Panel) => () => void,
  run: (fn: () => Promise<unknown>) => void,
  confirmRemove: (yes: boolean) => void,
): MenuItem[] {
  const busy = Boolean(i.busy);
  return [
    { label: 'Snapshots…', dialog: true, act: open('snapshots') },
    { label: 'Copy data from…', dialog: true, off: busy || i.gone, act: open('copy') },
    ...(isMainCheckout(i) || i.branch !== null
      ? [{ label: 'Worktree policy…', dialog: true, act: open('policy') }]
      : []),
    ...(desktop ? [{ label: 'Open folder', act: () => run(() => api.revealFolder(i.id)) }] : []),
    { label: 'Remove…', off: busy, act: () => confirmRemove(true) },
  ];
}

/** Why an action waits: the operation under way ("stop in progress"); undefined when none is. */
function busyWhy(i: InstanceView): string | undefined {
  return i.busy ? `${i.busy} in progress` : undefined;
}

/** Start, Stop and Logs: the everyday actions, first on a card and in a table row (`s` and `l` press them). */
export function EverydayButtons(props: {
  instance: InstanceView;
  run: (fn: () => Promise<unknown>) => void;
  onLogs: () => void;
}) {
  const { instance: i, run } = props;
  const busy = Boolean(i.busy);
  const up = i.status === 'running' || i.status === 'partial';
  const noLogs = i.status === 'not-created' || i.status === 'unknown';
  return (
    <>
      <ActButton
        data-act="start"
        off={busy || i.status === 'running'}
        why={busyWhy(i) ?? `${i.label} is already running`}
        onAct={() => run(() => api.startInstance(i.id))}
      >
        {i.status === 'asleep' ? 'Wake' : 'Start'}
      </ActButton>
      <ActButton
        data-act="stop"
        off={busy || !up}
        why={busyWhy(i) ?? `${i.label} is not running`}
        onAct={() => run(() => api.stopInstance(i.id))}
      >
        Stop
      </ActButton>
      <ActButton
        data-act="logs"
        off={noLogs}
        why={i.status === 'unknown' ? 'its engine does not answer' : 'no containers yet: Start it first'}
        onAct={props.onLogs}
      >
        Logs
      </ActButton>
    </>
  );
}

/** A card's actions; those that are not possible now stay focusable (aria-disabled), so focus stays put. */
export function CardButtons(props: {
  instance: InstanceView;
  desktop: boolean;
  run: (fn: () => Promise<unknown>) => void;
  open: (panel: Panel) => void;
}) {
  const { instance: i, run } = props;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const busy = Boolean(i.busy);
  const open = (panel: Panel) => () => props.open(panel);
  return (
    <div className="actions" role="group" aria-label={`actions for ${i.label}`}>
      <EverydayButtons instance={i} run={run} onLogs={open('logs')} />
      <ActButton off={busy} why={busyWhy(i)} onAct={open('reset')} aria-haspopup="dialog">
        Reset…
      </ActButton>
      <MoreMenu
        label={`more actions for ${i.label}`}
        items={moreItems(i, props.desktop, open, run, setConfirmRemove)}
      />
      {confirmRemove && (
        <RemoveConfirm
          instance={i}
          onRemove={() => run(() => api.removeInstance(i.id, { down: true }))}
          onKeep={() => setConfirmRemove(false)}
        />
      )}
    </div>
  );
}

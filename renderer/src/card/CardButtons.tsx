import { useState } from 'react';
import { isMainCheckout } from '../../../main/api/instanceDisplay';
import type { InstanceView } from '../../../main/api/table';
import { api } from '../bridge';
import type { Panel } from '../InstanceCard';
import { ActButton } from './ActButton';
import { RemoveConfirm } from './RemoveConfirm';

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
  const up = i.status === 'running' || i.status === 'partial';
  const open = (panel: Panel) => () => props.open(panel);
  return (
    <div className="actions" role="group" aria-label={`actions for ${i.label}`}>
      <ActButton data-act="start" off={busy || i.status === 'running'} onAct={() => run(() => api.startInstance(i.id))}>
        Start
      </ActButton>
      <ActButton data-act="stop" off={busy || !up} onAct={() => run(() => api.stopInstance(i.id))}>
        Stop
      </ActButton>
      <ActButton data-act="logs" off={i.status === 'not-created' || i.status === 'unknown'} onAct={open('logs')}>
        Logs
      </ActButton>
      <ActButton off={busy} onAct={open('reset')} aria-haspopup="dialog">
        Reset…
      </ActButton>
      <ActButton off={false} onAct={open('snapshots')} aria-haspopup="dialog">
        Snapshots…
      </ActButton>
      <ActButton off={busy || i.gone} onAct={open('copy')} aria-haspopup="dialog">
        Copy data from…
      </ActButton>
      {(isMainCheckout(i) || i.branch !== null) && (
        <button
          type="button"
          onClick={open('policy')}
          aria-haspopup="dialog"
          title="how this repository's worktrees are followed"
        >
          Worktree policy…
        </button>
      )}
      {props.desktop && (
        <button type="button" onClick={() => run(() => api.revealFolder(i.id))}>
          Open folder
        </button>
      )}
      {confirmRemove ? (
        <RemoveConfirm
          instance={i}
          onRemove={() => run(() => api.removeInstance(i.id, { down: true }))}
          onKeep={() => setConfirmRemove(false)}
        />
      ) : (
        <ActButton data-act="remove" off={busy} onAct={() => setConfirmRemove(true)}>
          Remove
        </ActButton>
      )}
    </div>
  );
}

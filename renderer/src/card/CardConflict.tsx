import { portMoves } from '../../../main/api/instanceDisplay';
import type { ConflictView, InstanceView } from '../../../main/api/table';
import { api } from '../bridge';
import type { CardRun, Say } from './CardMessage';

function holder(c: ConflictView): string {
  if (c.kind === 'registry') return `also registered to ${c.instances.slice(1).join(', ')}`;
  return `in use by ${c.process ? `${c.process.name} (pid ${c.process.pid})` : 'another program'}`;
}

/**
 * An instance's port conflicts, said once, on the instance, with the one action that fixes them. What
 * the reassignment moved is said after it (old → new) as the card's message; a running instance keeps
 * its old ports until it is restarted, so the message says so and offers the restart.
 */
export function CardConflict(props: { instance: InstanceView; conflicts: ConflictView[]; run: CardRun; say: Say }) {
  const { instance: i, conflicts } = props;
  if (!conflicts.length) return null;
  const busy = i.busy === 'reassign';
  const reassign = (card: HTMLElement | null) => {
    // This box and its button go once the conflict is gone, whenever the re-check says so: focus moves to
    // the card now, so it is never left on a button that disappears.
    card?.focus();
    const before = { ...i.ports };
    const up = i.status === 'running' || i.status === 'partial';
    props.run(
      () => api.reassignPorts(i.id),
      (after) => {
        const moved = `Ports reassigned: ${portMoves(before, after.ports)}.`;
        if (up) props.say('restart', `${moved} ${i.label} still uses the old ones: restart it to apply them.`);
        else props.say('ok', `${moved} They apply when it starts.`);
      },
    );
  };
  return (
    <div className="conflict" role="alert">
      <p>
        {conflicts.map((c, k) => (
          <span key={`${c.kind}:${c.port}`}>
            {k > 0 && '; '}
            Port <strong>{c.port}</strong> ({c.service}) is {holder(c)}
          </span>
        ))}
        .
      </p>
      <button
        type="button"
        aria-disabled={busy || Boolean(i.busy)}
        onClick={i.busy ? undefined : (e) => reassign(e.currentTarget.closest('article'))}
      >
        {busy ? 'Reassigning…' : 'Reassign ports'}
      </button>
    </div>
  );
}

import { useRef, useState } from 'react';
import { holderWords, portMoves } from '../../../main/shared/display/instanceDisplay';
import type { ConflictView, InstanceView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { useLayer } from '../layers';
import type { CardRun, Say } from './CardMessage';

function holder(c: ConflictView): string {
  if (c.kind === 'registry') return `also registered to ${c.instances.slice(1).join(', ')}`;
  return `in use by ${holderWords(c)}`;
}

/** Runs a reassignment and says what moved (old → new); a running instance keeps its old ports until restarted. */
function reassignPorts(i: InstanceView, run: CardRun, say: Say, card: HTMLElement | null) {
  // The conflict box and its button go once the conflict is gone, whenever the re-check says so: focus
  // moves to the card now, so it is never left on a button that disappears.
  card?.focus();
  const before = { ...i.ports };
  const up = i.status === 'running' || i.status === 'partial';
  run(
    () => api.reassignPorts(i.id),
    (after) => {
      // What could not move says who holds its port: another instance (by name) or a program.
      const stays = (after.notes ?? []).filter((n) => n.includes(' stays on '));
      const moved = Object.keys(after.ports).some((k) => before[k] !== after.ports[k]);
      if (!moved) {
        say(stays.length ? 'bad' : 'ok', `${i.label} keeps its ports${stays.length ? `: ${stays.join('; ')}` : ''}.`);
        return;
      }
      const home = after.slot === null && i.main ? `Back on its base ports: ${portMoves(before, after.ports)}.` : '';
      const text = `${home || `Ports reassigned: ${portMoves(before, after.ports)}.`}${stays.length ? ` ${stays.join('; ')}.` : ''}`;
      if (up) say('restart', `${text} ${i.label} still uses the old ones: restart it to apply them.`);
      else say('ok', `${text} They apply when it starts.`);
    },
  );
}

/** Moving the main checkout off its base ports breaks what expects them: asked first, Keep focused. */
function MoveMainConfirm(props: { instance: InstanceView; port: number; onMove: () => void; onKeep: () => void }) {
  const ref = useRef<HTMLSpanElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // The button that opened it is replaced by this confirm: focus goes back to its successor in the box.
  const card = () => document.getElementById(`instance-${props.instance.label}`);
  useLayer(ref, props.onKeep, {
    modal: false,
    initial: keep,
    fallback: () => card()?.querySelector<HTMLElement>('.conflict button') ?? card(),
  });
  return (
    <span className="confirm" ref={ref}>
      Move {props.instance.label} off its base ports? Every port changes in its .env.local; press Reassign again once
      port {props.port} is free to bring it back.
      <button type="button" onClick={props.onMove}>
        Move ports
      </button>
      <button type="button" ref={keep} onClick={props.onKeep}>
        Keep base ports
      </button>
    </span>
  );
}

/**
 * An instance's port conflicts, said once, on the instance, with the one action that fixes them. What
 * the reassignment moved is said after it (old → new) as the card's message. A main checkout is on the
 * base ports, which other tools, CI and teammates expect: moving it is asked first, and once it has been
 * moved the card offers to bring it back.
 */
export function CardConflict(props: { instance: InstanceView; conflicts: ConflictView[]; run: CardRun; say: Say }) {
  const { instance: i, conflicts } = props;
  const [confirming, setConfirming] = useState(false);
  const busy = Boolean(i.busy);
  const onBase = i.main && i.slot === null;
  const reassign = (e: React.MouseEvent<HTMLButtonElement>) =>
    reassignPorts(i, props.run, props.say, e.currentTarget.closest('article'));
  if (!conflicts.length) {
    if (!i.main || i.slot === null) return null;
    return (
      <p className="note off-base" data-testid="off-base">
        {i.label} is not on its base ports, the ones teammates, CI and bookmarks expect (one was taken, so it moved).{' '}
        <button type="button" aria-disabled={busy} onClick={busy ? undefined : reassign}>
          {i.busy === 'reassign' ? 'Moving…' : 'Back to base ports'}
        </button>
      </p>
    );
  }
  return (
    <div className="conflict" role="alert">
      <p>
        {conflicts.map((c, k) => (
          <span key={`${c.kind}:${c.port}`}>
            {k > 0 && '; '}
            Port <strong>{c.port}</strong> ({c.range ? `${c.service} ${c.range}` : c.service}) is {holder(c)}
          </span>
        ))}
        .{onBase && ' This is the main checkout: stop that program to keep its base ports, or move it.'}
      </p>
      {confirming ? (
        <MoveMainConfirm
          instance={i}
          port={conflicts[0]!.port}
          onKeep={() => setConfirming(false)}
          onMove={() => {
            setConfirming(false);
            reassignPorts(i, props.run, props.say, document.getElementById(`instance-${i.label}`));
          }}
        />
      ) : (
        <button
          type="button"
          aria-disabled={busy}
          onClick={busy ? undefined : onBase ? () => setConfirming(true) : reassign}
        >
          {i.busy === 'reassign' ? 'Reassigning…' : onBase ? 'Move to other ports…' : 'Reassign ports'}
        </button>
      )}
    </div>
  );
}

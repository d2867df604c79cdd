import { stateOf } from '../../../main/shared/display/instanceDisplay';
import type { EngineState, InstanceView } from '../../../main/shared/api/table';
import { useNow } from '../hooks/useNow';

/** A detail that only says how long ("up 3 h", "2 min ago", "12 s"): what a narrow row can leave out. */
const timeOnly = (detail: string) => /^up |ago$|^\d+ ?\w+$/.test(detail);

/**
 * One state in words and colour: "Starting · 12 s", "Running · up 3 h", "Partly running · redis stopped".
 * In a table row (`row`) the pill stays one line: a time is dropped in a narrow window (CSS), and any other
 * detail is a line of text under the pill, which may wrap; the pill's title says it all.
 */
export function StatePill(props: { instance: InstanceView; engine: EngineState | undefined; row?: boolean }) {
  const { instance, engine } = props;
  // Seconds count while something is under way (an operation, health checks still running) and while the
  // span shown is under a minute ("up 25 s", "12 s ago"); minutes and hours need no faster tick.
  const busy = Boolean(instance.busy) || Object.values(instance.services).some((s) => s.health === 'starting');
  const since = instance.since;
  const now = useNow((t) => (busy || (since !== null && t - since < 60_000) ? 1000 : 30_000));
  const s = stateOf(instance, instance.engine ? (instance.engineState ?? 'connecting') : engine, now); // its own engine
  const note = props.row && s.detail && !timeOnly(s.detail) ? s.detail : '';
  const pill = (
    <span
      className={`state tone-${s.tone}`}
      data-testid="status"
      data-state={s.word}
      title={props.row && s.detail ? `${s.word} · ${s.detail}` : undefined}
    >
      {s.tone === 'busy' && <span className="spinner" aria-hidden="true" />}
      <span className="state-word">{s.word}</span>
      {s.detail && !note && <span className={`state-detail${props.row ? ' state-time' : ''}`}> · {s.detail}</span>}
    </span>
  );
  if (!note) return pill;
  return (
    <>
      {pill}
      <span className="state-note">{note}</span>
    </>
  );
}

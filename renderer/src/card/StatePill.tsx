import { stateOf } from '../../../main/shared/display/instanceDisplay';
import type { EngineState, InstanceView } from '../../../main/shared/api/table';
import { useNow } from '../hooks/useNow';

/** One state in words and colour: "Starting · 12 s", "Running · up 3 h", "Partly running · redis stopped". */
export function StatePill({ instance, engine }: { instance: InstanceView; engine: EngineState | undefined }) {
  // Seconds count while something is under way (an operation, health checks still running) and while the
  // span shown is under a minute ("up 25 s", "12 s ago"); minutes and hours need no faster tick.
  const busy = Boolean(instance.busy) || Object.values(instance.services).some((s) => s.health === 'starting');
  const since = instance.since;
  const now = useNow((t) => (busy || (since !== null && t - since < 60_000) ? 1000 : 30_000));
  const s = stateOf(instance, instance.engine ? (instance.engineState ?? 'connecting') : engine, now); // its own engine
  return (
    <span className={`state tone-${s.tone}`} data-testid="status" data-state={s.word}>
      {s.tone === 'busy' && <span className="spinner" aria-hidden="true" />}
      <span className="state-word">{s.word}</span>
      {s.detail && <span className="state-detail"> · {s.detail}</span>}
    </span>
  );
}

import { useEffect, useState } from 'react';
import { stateOf } from '../../main/api/instanceDisplay';
import type { EngineState, InstanceView } from '../../main/api/table';

/** The current time, advanced every `ms`: elapsed times count up without a re-render of the whole list. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** One state in words and colour: "Starting · 12 s", "Running · up 3 h", "Partly running · redis stopped". */
export function StatePill({ instance, engine }: { instance: InstanceView; engine: EngineState | undefined }) {
  // Seconds count while something is under way: an operation, or health checks still running.
  const ticking = Boolean(instance.busy) || Object.values(instance.services).some((s) => s.health === 'starting');
  const now = useNow(ticking ? 1000 : 30_000);
  const s = stateOf(instance, instance.engine ? (instance.engineState ?? 'connecting') : engine, now); // its own engine
  return (
    <span className={`state tone-${s.tone}`} data-testid="status" data-state={s.word}>
      {s.tone === 'busy' && <span className="spinner" aria-hidden="true" />}
      <span className="state-word">{s.word}</span>
      {s.detail && <span className="state-detail"> · {s.detail}</span>}
    </span>
  );
}

import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import type { KeptTunnel } from '../../docker/remote/tunnelKeeper';
import type { TunnelView } from '../../shared/api/table';

/** What a card's tunnel line is made of: the toggles, the keeper's tunnels, and which engines are SSH. */
export interface TunnelSource {
  /** The per-instance toggles (instance id → false when turned off; on by default). */
  toggles(): Record<string, boolean>;
  /** The tunnels the keeper holds now, by the instance's label. */
  kept(): readonly KeptTunnel[];
  /** Whether an engine (a context name or a DOCKER_HOST value) is reached over SSH. */
  overSsh(engine: string): boolean;
}

/**
 * An instance's tunnel as its card shows it; undefined where no tunnel can be (a local instance, a tcp://
 * engine). Pure: the keeper's state and the toggles are given.
 */
export function tunnelViewOf(rec: InstanceRecord, label: string, source: TunnelSource): TunnelView | undefined {
  if (!rec.engine || !source.overSsh(rec.engine)) return undefined;
  const ports = Object.values(rec.ports);
  if (source.toggles()[instanceId(rec)] === false) return { keep: false, state: 'off', ports };
  const t = source.kept().find((k) => k.name === label);
  // Wanted but not held: it is not running (or the keeper has not looked since it started).
  if (!t) return { keep: true, state: 'idle', ports };
  return { keep: true, state: t.state, ports: [...t.ports], ...(t.error ? { error: t.error } : {}) };
}

/** Whether an engine is reached over SSH, remembered per engine (a context's endpoint is read from disk). */
export function sshEngines(endpointOf: (engine: string) => string): (engine: string) => boolean {
  const known = new Map<string, boolean>();
  return (engine) => {
    let ssh = known.get(engine);
    if (ssh === undefined) {
      try {
        ssh = endpointOf(engine).startsWith('ssh://');
      } catch {
        ssh = false; // a context that is gone: nothing to tunnel through
      }
      known.set(engine, ssh);
    }
    return ssh;
  };
}

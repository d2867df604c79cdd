import type Dockerode from 'dockerode';
import { engineLabel } from '../../shared/display/engine';
import { instanceId } from '../../core/registry/instanceRef';
import type { Backend } from '../lifecycle/backend';
import { applyCleanup, planCleanup, withVolumes, type CleanupPlan } from './cleanup';
import { readOwnSizes } from '../status/ownSizes';

/** One engine's part of a cleanup: the local one (null) removes registrations too; a remote one only its objects. */
export interface EnginePlan {
  readonly engine: string | null;
  readonly docker: Dockerode;
  readonly plan: CleanupPlan;
}

/**
 * The cleanup plan of every engine that has registrations: the local engine first, as before, then each remote one
 * (its orphaned containers, networks and volumes, and its own removed worktrees). An engine that does not answer is
 * skipped with a warning; what another owner's label names is never in any plan (cleanup.ts).
 */
export async function planAllEngines(
  e: Backend,
  volumes: boolean,
  warn: (text: string) => void,
  /** Unowned orphaned volumes (no registry label) too: only when asked for explicitly, and only with `volumes`. */
  unowned = false,
): Promise<EnginePlan[]> {
  const records = await e.service.records();
  const engineOf = new Map(records.map((r) => [instanceId(r), r.engine ?? null]));
  const { docker } = await e.lifecycle.docker();
  const on = (engine: string | null) => records.filter((r) => (r.engine ?? null) === engine);
  const local = await planCleanup(e.service, docker, await readOwnSizes(e.lifecycle, docker, on(null)));
  const plans: EnginePlan[] = [
    { engine: null, docker, plan: { ...local, retire: local.retire.filter((r) => !engineOf.get(r.id)) } },
  ];
  for (const engine of new Set(records.flatMap((r) => (r.engine ? [r.engine] : [])))) {
    const conn = await e.lifecycle.docker(engine).catch((err: Error) => void warn(`axi: warning: ${err.message}`));
    if (!conn) continue;
    const p = await planCleanup(e.service, conn.docker, await readOwnSizes(e.lifecycle, conn.docker, on(engine)));
    const retire = local.retire.filter((r) => engineOf.get(r.id) === engine);
    plans.push({ engine, docker: conn.docker, plan: { ...p, registrations: [], reported: [], retire } });
  }
  return volumes ? plans.map((p) => ({ ...p, plan: withVolumes(p.plan, unowned) })) : plans;
}

/** `(on ENGINE)` after a remote engine's lines. */
export function onEngine(engine: string | null): string {
  return engine ? ` (on ${engineLabel(engine)})` : '';
}

export async function applyAllEngines(e: Backend, plans: readonly EnginePlan[]): Promise<void> {
  for (const p of plans) await applyCleanup(e.service, p.docker, p.plan);
}

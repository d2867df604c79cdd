import { createHash } from 'node:crypto';
import type { CleanupPlan } from '../../docker/cleanup/cleanup';
import { AxiError } from '../../shared/errors';
import type { StatsSampler } from '../overview/statsSampler';
import type { CleanupItemView } from '../../shared/api/statsViews';
import type { ApiHandlers } from '../../shared/api/table';

/** A cleanup as the window sees it: what it removes, and the way to do it. */
export interface WindowCleanup {
  items: CleanupItemView[];
  /** Unowned volumes, offered apart: removed only when the apply asks for them. */
  unowned?: CleanupItemView[];
  reclaimableBytes: number;
  apply(unowned?: boolean): Promise<void>;
}

export interface StatsHandlerContext {
  sampler: Pick<StatsSampler, 'sample' | 'invalidateDisk'>;
  /** The cleanup that reclaims disk, volumes included, planned afresh on each call. */
  planCleanup(): Promise<WindowCleanup>;
  /** After a cleanup: registrations may be gone, so the overview is refreshed. */
  changed(): Promise<void>;
}

/** Names exactly this list (not the sizes, which move while a database runs): what a confirmation refers to. */
export function planToken(items: readonly CleanupItemView[]): string {
  const names = items.map((i) => `${i.kind}\t${i.name}`).sort();
  return createHash('sha256').update(names.join('\n')).digest('hex');
}

export function cleanupItems(plan: CleanupPlan): CleanupItemView[] {
  return [
    ...plan.registrations.map((r) => ({ kind: 'registration' as const, name: r.name, detail: r.folder, bytes: null })),
    ...plan.containers.map((c) => ({
      kind: 'container' as const,
      name: c.name,
      detail: c.project || null,
      bytes: null,
    })),
    ...plan.networks.map((n) => ({ kind: 'network' as const, name: n.name, detail: null, bytes: null })),
    ...plan.volumes.map((v) => ({
      kind: 'volume' as const,
      name: v.name,
      detail: null,
      bytes: v.exclusive ?? v.bytes,
    })),
  ];
}

type StatsMethod = 'getStats' | 'planCleanup' | 'applyCleanup';

/**
 * Stats and the reclaiming cleanup. A cleanup is two calls: the dry run returns the list and a token
 * naming it; applying takes that token and removes only if a fresh plan is still exactly that list, so
 * nothing (no volume above all) goes that the user did not see and confirm.
 */
export function statsHandlers(c: StatsHandlerContext): Pick<ApiHandlers, StatsMethod> {
  return {
    getStats: () => c.sampler.sample(),
    planCleanup: async () => {
      const p = await c.planCleanup();
      const unowned = p.unowned ?? [];
      return {
        token: planToken(p.items),
        items: p.items,
        unowned,
        ...(unowned.length ? { unownedToken: planToken([...p.items, ...unowned]) } : {}),
        reclaimableBytes: p.reclaimableBytes,
      };
    },
    applyCleanup: async ({ token, unowned }) => {
      const p = await c.planCleanup();
      const removed = unowned ? [...p.items, ...(p.unowned ?? [])] : p.items;
      if (planToken(removed) !== token)
        throw new AxiError('BAD_INPUT', 'what cleanup would remove has changed since the dry run; review it again');
      if (removed.length) {
        await p.apply(unowned === true);
        c.sampler.invalidateDisk();
        await c.changed();
      }
      const extra = unowned ? (p.unowned ?? []).reduce((n, i) => n + (i.bytes ?? 0), 0) : 0;
      return { removed, reclaimedBytes: p.reclaimableBytes + extra };
    },
  };
}

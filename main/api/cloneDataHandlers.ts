import { instanceId, labelOf } from '../core/instanceRef';
import { assertConfirmed } from './guards';
import type { HandlerContext } from './handlers';
import { findView } from './overview';
import type { ApiHandlers, CloneDataPlanView } from './table';
import { snapshotView } from './views';

/** Other instances of the target's repository (same base name), its main checkout first. */
async function candidateSources(c: HandlerContext, target: string): Promise<CloneDataPlanView['sources']> {
  const records = await c.service.registry.list();
  const tgt = await c.service.find(target);
  return records
    .filter((r) => instanceId(r) !== instanceId(tgt) && r.base !== undefined && r.base === tgt.base)
    .sort((a, b) => Number(b.main) - Number(a.main) || a.name.localeCompare(b.name))
    .map((r) => ({ id: instanceId(r), label: labelOf(r, records), main: r.main }));
}

/** "Copy data from…": the plan the dialog shows, and the copy under the operation tracker. */
export function cloneDataHandlers(c: HandlerContext): Pick<ApiHandlers, 'cloneDataPlan' | 'cloneData'> {
  return {
    cloneDataPlan: async (target, { source }) => {
      const view = await findView(c.sources, target);
      const sources = await candidateSources(c, target);
      const chosen = source ?? sources[0]?.id ?? null;
      const plan = chosen ? await c.lifecycle().planCloneData(chosen, target) : undefined;
      return {
        target: { id: view.id, label: view.label, running: view.status === 'running' || view.status === 'partial' },
        sources,
        source: plan ? instanceId(plan.source) : null,
        pairs: plan?.pairs ?? [],
        unmatched: plan?.unmatched ?? [],
      };
    },
    cloneData: async (target, { source, confirm }) => {
      const rec = await c.service.find(target);
      const label = await c.service.label(rec);
      return c.ops.run({ key: instanceId(rec), label, what: 'copy data' }, async (progress) => {
        assertConfirmed(target, confirm, 'copying data');
        const r = await c.lifecycle().cloneData(source, instanceId(rec), { snapshot: true, onOutput: progress });
        for (const p of r.pairs) progress(`copied ${p.from} → ${p.to}`);
        return {
          instance: await findView(c.sources, instanceId(rec)),
          copied: r.pairs,
          unmatched: r.unmatched,
          snapshot: r.snapshot ? snapshotView(r.snapshot) : null,
          pausedMs: r.pausedMs,
        };
      });
    },
  };
}

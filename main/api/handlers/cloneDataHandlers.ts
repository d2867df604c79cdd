import { instanceId, labelOf } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { worktreePaths } from '../../core/worktrees/worktrees';
import { assertConfirmed } from '../controller/guards';
import type { HandlerContext } from './handlerContext';
import { findView } from '../overview/overview';
import type { ApiHandlers, CloneDataPlanView } from '../../shared/api/table';
import { snapshotView } from '../overview/views';
import { copiedFigures, copyVerb } from '../../shared/display/units';

/** Other instances of the target's repository (its git worktrees, or the same base name outside git), main first. */
async function candidateSources(c: HandlerContext, target: string): Promise<CloneDataPlanView['sources']> {
  const records = await c.service.records();
  const tgt = await c.service.find(target);
  const trees = await worktreePaths(tgt.folder);
  const isMain = (r: InstanceRecord) => (trees.length ? r.folder === trees[0] : r.main);
  return records
    .filter(
      (r) =>
        instanceId(r) !== instanceId(tgt) &&
        (trees.includes(r.folder) || (r.base !== undefined && r.base === tgt.base)),
    )
    .sort((a, b) => Number(isMain(b)) - Number(isMain(a)) || a.name.localeCompare(b.name))
    .map((r) => ({ id: instanceId(r), label: labelOf(r, records), main: isMain(r) }));
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
        reason: plan?.reason ?? null,
      };
    },
    cloneData: async (target, { source, confirm, start }) => {
      const rec = await c.service.find(target);
      const label = await c.service.label(rec);
      return c.ops.run({ key: instanceId(rec), label, what: 'copy data' }, async (progress) => {
        assertConfirmed(target, confirm, 'copying data');
        const r = await c.lifecycle().cloneData(source, instanceId(rec), { snapshot: true, start, onOutput: progress });
        for (const p of r.copied)
          progress(`${copyVerb(Boolean(p.cloned))} ${p.from} → ${p.to}: ${copiedFigures(p)}, verified`);
        return {
          instance: await findView(c.sources, instanceId(rec)),
          copied: r.copied,
          unmatched: r.unmatched,
          snapshot: r.snapshot ? snapshotView(r.snapshot) : null,
          pausedMs: r.pausedMs,
        };
      });
    },
  };
}

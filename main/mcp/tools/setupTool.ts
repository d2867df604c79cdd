import { instanceEnv } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import type { ToolContext } from './toolContext';
import { compactInstance } from './compact';
import { refusal } from '../scope/liveScope';

/**
 * setup_this_checkout: register this checkout (unless it is), copy data into a new registration,
 * start it and wait for health, all through the controller's own handlers (the window's tracker,
 * its busy state and its checks). Idempotent: a registered checkout keeps its registration and
 * its data, and says so.
 */
export async function setupThisCheckout(ctx: ToolContext, input: { dataFrom?: string; start?: boolean }) {
  const state = await ctx.scope.state!();
  if (state.kind === 'outside') throw refusal(state);
  const { handlers } = await ctx.controller();
  const notes: string[] = [];
  let id: string;
  let copied: string | null = null;
  if (state.kind === 'registered') {
    id = instanceId(state.rec);
    notes.push('already registered: registration and ports kept');
    if (input.dataFrom)
      notes.push(
        `its data was kept; to replace it call clone_data {"source":${JSON.stringify(input.dataFrom)},"confirm":${JSON.stringify(state.name)}}`,
      );
  } else {
    const source = input.dataFrom && input.dataFrom !== 'main' ? await sourceInScope(ctx, input.dataFrom) : undefined;
    const r = await handlers.registerFolder({
      dir: state.top,
      ...(input.dataFrom === 'main' ? { dataFrom: 'main' as const } : {}),
    });
    id = r.instance.id;
    notes.push(...r.notes);
    if (source) await handlers.cloneData(id, { source, confirm: id });
    copied = input.dataFrom ?? null;
  }
  const view =
    input.start === false
      ? (await handlers.getOverview()).instances.find((i) => i.id === id)!
      : await handlers.startInstance(id);
  const { variables } = await instanceEnv(await ctx.backend.service.find(id));
  const { ports: _ports, ...short } = compactInstance({
    ...view,
    notes: [...notes, ...((view as { notes?: string[] }).notes ?? [])],
  });
  return { ...short, copiedFrom: copied, env: variables };
}

/** A source named by the agent: an instance of this repository (what the scope lists). */
async function sourceInScope(ctx: ToolContext, name: string): Promise<string> {
  const rec = await ctx.backend.service.find(name);
  if (!(await ctx.scope.lists(rec)))
    throw new AxiError(
      'OUT_OF_SCOPE',
      `${name} is not an instance of this repository; pass dataFrom: "main" or one of get_overview's`,
    );
  return instanceId(rec);
}

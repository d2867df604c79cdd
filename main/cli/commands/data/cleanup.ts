import { AxiError } from '../../../shared/errors';
import { formatBytes, sizeWithOwn } from '../../../shared/display/units';
import type { CleanupPlan, PlannedVolume } from '../../../docker/cleanup/cleanup';
import { confirmed, JSON_OPTION, YES_OPTION, type CliCommand } from '../../command';

const sized = (v: PlannedVolume) => `${v.name} (${sizeWithOwn(v.bytes, v.exclusive)})`;

/**
 * One line per thing the plan removes, each with why; volumes with their size, this registry's apart from the
 * unowned ones (no registry label: made by the scripts, an older axi, or by hand), which are named as such.
 */
export function planLines(plan: CleanupPlan, unowned: ReadonlySet<string> = new Set()): string[] {
  const volume = (v: PlannedVolume) =>
    unowned.has(v.name)
      ? `volume ${sized(v)} (unowned: no registry label; its project has no registration)`
      : `volume ${sized(v)} (this registry's; no registration owns it)`;
  return [
    ...plan.retire.map(
      (r) =>
        `worktree ${r.name} (removed; worktrees.onRemove: ${r.snapshot ? 'snapshot-and-remove' : 'remove'}): ` +
        `${r.containers.length} container(s), volumes ${r.volumes.join(', ') || '-'}${r.snapshot ? ' after a snapshot' : ''}` +
        (r.skipped.length ? `; left alone, not its own: ${r.skipped.join(', ')}` : ''),
    ),
    ...plan.registrations.map((r) => `registration ${r.name} (folder gone: ${r.folder})`),
    ...plan.containers.map(
      (c) => `container ${c.name} (${c.project ? `project ${c.project}, ` : ''}no registration owns it)`,
    ),
    ...plan.networks.map((n) => `network ${n.name} (no registration owns it)`),
    ...plan.volumes.filter((v) => !unowned.has(v.name)).map(volume),
    ...plan.volumes.filter((v) => unowned.has(v.name)).map(volume),
  ];
}

/** What the volumes of gone or orphaned instances hold, and what frees it. */
function reclaimNote(plan: CleanupPlan, bytes: number, dryRun: boolean): string {
  const ours = plan.keptVolumes;
  const theirs = plan.unownedVolumes;
  const kept = [
    ...plan.reported.map((r) => `kept ${r.name} (${r.folder}): ${r.why}`),
    ...(ours.length ? [`kept volumes (use --volumes to delete): ${ours.map(sized).join(', ')}`] : []),
    ...(theirs.length
      ? [
          `kept unowned volumes (no registry label: the scripts', an older axi's or hand-made; only --volumes --unowned deletes them): ${theirs.map(sized).join(', ')}`,
        ]
      : []),
  ].join('\n');
  const count = plan.volumes.length + plan.keptVolumes.length;
  if (!dryRun || !count) return kept;
  const how = plan.keptVolumes.length ? ' with axi cleanup --volumes' : '';
  return [kept, `Reclaimable: ${formatBytes(bytes)} in ${count} volume${count > 1 ? 's' : ''}${how}`]
    .filter(Boolean)
    .join('\n');
}

export const command: CliCommand<
  [],
  { dryRun?: boolean; yes?: boolean; volumes?: boolean; unowned?: boolean; json?: boolean }
> = {
  name: 'cleanup',
  description:
    "remove registrations whose folder is gone (a removed worktree per its repository's worktrees.onRemove), and containers/networks (volumes with --volumes) no registration owns",
  options: [
    { flags: '--dry-run', description: 'only print what would be removed, with the disk it would reclaim' },
    YES_OPTION,
    { flags: '--volumes', description: "also delete this registry's orphaned volumes" },
    {
      flags: '--unowned',
      description: "with --volumes, also delete orphaned volumes no registry owns (the scripts', hand-made)",
    },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, _args, o) {
    // Loaded on use: read-only commands keep a lean start.
    const { reclaimableBytes } =
      require('../../../docker/cleanup/cleanup') as typeof import('../../../docker/cleanup/cleanup');
    const { applyAllEngines, onEngine, planAllEngines } =
      require('../../../docker/cleanup/cleanupEngines') as typeof import('../../../docker/cleanup/cleanupEngines');
    const e = backend();
    if (o.unowned && !o.volumes) throw new AxiError('BAD_INPUT', '--unowned deletes volumes: give it with --volumes');
    const plans = await planAllEngines(e, Boolean(o.volumes), io.err, Boolean(o.unowned));
    const plan = plans[0]!.plan; // the local engine's, with the registrations: what --json has always shown
    const remote = plans.slice(1);
    const bytes = plans.reduce((n, p) => n + reclaimableBytes(p.plan), 0);
    const total = plans.reduce((n, p) => n + planSize(p.plan), 0);
    // Named as unowned wherever they are listed (deleted only with --unowned, listed as kept otherwise).
    const unowned = new Set(plans.flatMap((p) => p.plan.volumes.filter((v) => v.unowned).map((v) => v.name)));
    const lines = plans.flatMap((p) => planLines(p.plan, unowned).map((l) => `${l}${onEngine(p.engine)}`));
    const dryRun = Boolean(o.dryRun) || total === 0;
    const note = reclaimNote(plan, bytes, dryRun);
    const engines = remote.length ? { engines: remote.map((p) => ({ engine: p.engine, plan: p.plan })) } : {};
    if (dryRun) {
      if (o.json)
        return json({ dryRun: Boolean(o.dryRun), removed: [], wouldRemove: plan, reclaimableBytes: bytes, ...engines });
      return io.out(
        [total ? `Would remove:\n  ${lines.join('\n  ')}` : 'Nothing to clean up.', note].filter(Boolean).join('\n'),
      );
    }
    await confirmed(io, o.yes, `Remove ${total} item(s)?\n  ${lines.join('\n  ')}\n`);
    await applyAllEngines(e, plans);
    if (o.json) return json({ dryRun: false, removed: plan, reclaimedBytes: o.volumes ? bytes : 0, ...engines });
    io.out([`Removed:\n  ${lines.join('\n  ')}`, note].filter(Boolean).join('\n'));
  },
};

function planSize(plan: CleanupPlan): number {
  return (
    plan.retire.length + plan.registrations.length + plan.containers.length + plan.networks.length + plan.volumes.length
  );
}

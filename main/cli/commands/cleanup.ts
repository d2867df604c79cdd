import { formatBytes } from '../../core/units';
import type { CleanupPlan, PlannedVolume } from '../../docker/cleanup';
import { confirmed, JSON_OPTION, YES_OPTION, type CliCommand } from '../command';

const sized = (v: PlannedVolume) => `${v.name} (${formatBytes(v.bytes)})`;

/** One line per thing the plan removes, volumes with their size. */
export function planLines(plan: CleanupPlan): string[] {
  return [
    ...plan.retire.map(
      (r) =>
        `worktree ${r.name} (removed; worktrees.onRemove: ${r.snapshot ? 'snapshot-and-remove' : 'remove'}): ` +
        `${r.containers.length} container(s), volumes ${r.volumes.join(', ') || '-'}${r.snapshot ? ' after a snapshot' : ''}`,
    ),
    ...plan.registrations.map((r) => `registration ${r.name} (folder gone: ${r.folder})`),
    ...plan.containers.map((c) => `container ${c.name}${c.project ? ` (project ${c.project})` : ''}`),
    ...plan.networks.map((n) => `network ${n.name}`),
    ...plan.volumes.map((v) => `volume ${sized(v)}`),
  ];
}

/** What the volumes of gone or orphaned instances hold, and what frees it. */
function reclaimNote(plan: CleanupPlan, bytes: number, dryRun: boolean): string {
  const kept = [
    ...plan.reported.map((r) => `kept ${r.name} (${r.folder}): ${r.why}`),
    ...(plan.keptVolumes.length
      ? [`kept volumes (use --volumes to delete): ${plan.keptVolumes.map(sized).join(', ')}`]
      : []),
  ].join('\n');
  const count = plan.volumes.length + plan.keptVolumes.length;
  if (!dryRun || !count) return kept;
  const how = plan.keptVolumes.length ? ' with axi cleanup --volumes' : '';
  return [kept, `Reclaimable: ${formatBytes(bytes)} in ${count} volume${count > 1 ? 's' : ''}${how}`]
    .filter(Boolean)
    .join('\n');
}

export const command: CliCommand<[], { dryRun?: boolean; yes?: boolean; volumes?: boolean; json?: boolean }> = {
  name: 'cleanup',
  description:
    "remove registrations whose folder is gone (a removed worktree per its repository's worktrees.onRemove), and containers/networks (volumes with --volumes) no registration owns",
  options: [
    { flags: '--dry-run', description: 'only print what would be removed, with the disk it would reclaim' },
    YES_OPTION,
    { flags: '--volumes', description: 'also delete orphaned volumes' },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, _args, o) {
    // Loaded on use: read-only commands keep a lean start.
    const { reclaimableBytes } = require('../../docker/cleanup') as typeof import('../../docker/cleanup');
    const { applyAllEngines, onEngine, planAllEngines } =
      require('../../docker/cleanupEngines') as typeof import('../../docker/cleanupEngines');
    const e = backend();
    const plans = await planAllEngines(e, Boolean(o.volumes), io.err);
    const plan = plans[0]!.plan; // the local engine's, with the registrations: what --json has always shown
    const remote = plans.slice(1);
    const bytes = plans.reduce((n, p) => n + reclaimableBytes(p.plan), 0);
    const total = plans.reduce((n, p) => n + planSize(p.plan), 0);
    const lines = plans.flatMap((p) => planLines(p.plan).map((l) => `${l}${onEngine(p.engine)}`));
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

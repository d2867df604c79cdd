import { existsSync } from 'node:fs';
import { portEntries } from '../../../shared/display/portText';
import type { ContainerStatus, InstanceStatus } from '../../../docker/status/status';
import { AxiError } from '../../../shared/errors';
import { labelsById } from '../../../core/registry/instanceRef';
import { AEGISX_SERVICES } from '../../../core/project/preset';
import { DEFAULT_BIND } from '../../../shared/schemas/settings';
import { type InstanceSummary } from '../../../core/instances/serviceTypes';
import type { InstanceUsage } from '../../../core/util/stats';
import { instanceStackStatuses, stackTasks, type StackStatus } from '../../../docker/swarm/swarmStatus';
import { formatSpan } from '../../../shared/schemas/idlePolicy';
import { JSON_OPTION, type CliCommand } from '../../command';
import { summaryJson, table } from '../../../api/report/format';
import { readCliUsage, USAGE_HEADER, usageCells, usageJson, type CliUsage } from '../../../api/report/usage';

export const command: CliCommand<[], { json?: boolean; watch?: boolean; stats?: boolean }> = {
  name: 'list',
  description: 'list registered instances with their live status',
  options: [
    JSON_OPTION,
    { flags: '--watch', description: 'print each status change as it happens (one JSON object per line with --json)' },
    {
      flags: '--stats',
      description: 'add CPU %, memory (running containers) and disk (the size of its volumes) per instance',
    },
  ],
  async run({ backend, io, json }, _args, opts) {
    const e = backend();
    if (opts.watch)
      return (require('../../watch') as typeof import('../../watch')).watchStatus(e, io, Boolean(opts.json));
    const records = await e.service.records(); // read once, for the table and for the statuses
    const items = records.map((r) => e.service.summarize(r));
    // Deployed Swarm stacks (axi stack --deploy), alongside the containers: no request when none was deployed.
    const stacksAsked = instanceStackStatuses(e.lifecycle, e.service.paths.home, records);
    // Remote engines asked alongside the local one (each answers in its own round trip, at the same time).
    const remote = records.filter((r) => r.engine);
    const remoteAsked = remote.length ? e.lifecycle.statusMap(remote) : undefined;
    let containers: ContainerStatus[] | undefined; // undefined: no engine answered, every status unknown
    try {
      containers = await e.lifecycle.allContainers();
    } catch (err) {
      if (!(err instanceof AxiError && err.code === 'DOCKER_UNAVAILABLE')) throw err;
      if (items.length) io.err(`axi: warning: ${err.message}; status unknown`);
    }
    // Loaded with the Docker layer the line above already needed.
    const local = records.filter((r) => !r.engine);
    const { readSleepState } =
      require('../../../core/registry/sleepState') as typeof import('../../../core/registry/sleepState');
    const { asleep } = await readSleepState(e.service.paths.home);
    const statuses = (
      require('../../../docker/status/status') as typeof import('../../../docker/status/status')
    ).instanceStatuses(local, containers, asleep);
    for (const [id, s] of (await remoteAsked) ?? []) statuses.set(id, s);
    // Without an engine the JSON has always named no services (the status says it all).
    const status = (id: string) =>
      containers || remoteIds.has(id) ? statuses.get(id)! : { status: statuses.get(id)!.status, services: {} };
    const remoteIds = new Set(items.filter((i) => i.engine).map((i) => i.id));
    const stacks = await stacksAsked;
    const cost: CliUsage | undefined =
      opts.stats && containers && records.length ? await readCliUsage(e, records, containers) : undefined;
    const stats = (id: string) =>
      opts.stats ? { stats: usageJson(cost?.usage.get(id), cost?.cpuWindowMs ?? null) } : {};
    if (opts.json) {
      // Each instance's names on the running router, name first (its port URLs are in `ports`); none without one.
      const { recordRoutes, linksOf, namedUrls } =
        require('../../../core/routes/routeLinks') as typeof import('../../../core/routes/routeLinks');
      const { routerBase } =
        require('../../../core/routes/routerState') as typeof import('../../../core/routes/routerState');
      const routes = await recordRoutes(records);
      const base = routerBase(e.service.paths.home, e.settings.read().settings);
      return json(
        items.map((i) => ({
          ...summaryJson(i),
          names: base.running ? namedUrls(linksOf(routes, i.id, base)) : {},
          status: status(i.id).status,
          ...(statuses.get(i.id)?.asleep ? { asleep: statuses.get(i.id)!.asleep } : {}),
          services: status(i.id).services,
          stack: stacks.get(i.id) ?? null,
          folderGone: !existsSync(i.folder),
          ...stats(i.id),
        })),
      );
    }
    io.out(
      items.length
        ? listTable(items, statuses, opts.stats ? (cost?.usage ?? new Map()) : undefined, stacks)
        : 'No instances registered yet. Register one with: axi setup DIR',
    );
  },
};

/**
 * The seed's columns while every instance has the AegisX layout; else one PORTS column naming each instance's own.
 * NAME is the bare name, or `repo/name` where two repositories have it. `statuses` are by instance id.
 */
export function listTable(
  items: InstanceSummary[],
  statuses: Map<string, InstanceStatus>,
  usage?: Map<string, InstanceUsage>,
  stacks: Map<string, StackStatus> = new Map(),
): string {
  const services = [...AEGISX_SERVICES] as string[];
  const seedLayout = items.every((i) => Object.keys(i.ports).every((k) => services.includes(k)));
  // A STACK column only once a Swarm stack is deployed (`2/2 tasks running`); with --stats: CPU, MEMORY and DISK.
  const stackCell = (i: InstanceSummary) => {
    const s = stacks.get(i.id);
    return stacks.size ? [s ? stackTasks(s) : '-'] : [];
  };
  // "asleep · 42 min": its own state, never "stopped".
  const word = (s: InstanceStatus | undefined) =>
    s?.asleep ? `asleep · ${formatSpan(Date.now() - s.asleep.since)}` : (s?.status ?? 'unknown');
  const status = (i: InstanceSummary) => [
    word(statuses.get(i.id)),
    ...stackCell(i),
    ...(usage ? usageCells(usage.get(i.id)) : []),
  ];
  const statusHeader = ['STATUS', ...(stacks.size ? ['STACK'] : []), ...(usage ? USAGE_HEADER : [])];
  const labels = labelsById(items);
  const label = (i: InstanceSummary) => labels.get(i.id)!;
  // Only a non-default address is worth a column: loopback is what everybody has.
  const bindCol = items.some((i) => i.bind !== DEFAULT_BIND);
  const bind = (i: InstanceSummary) => (bindCol ? [i.bind === DEFAULT_BIND ? 'local' : `${i.bind} (LAN)`] : []);
  if (seedLayout) {
    return table(
      ['NAME', ...statusHeader, ...services.map((s) => s.toUpperCase()), ...(bindCol ? ['BIND'] : []), 'FOLDER'],
      items.map((i) => [
        label(i),
        ...status(i),
        ...services.map((s) => String(i.ports[s] ?? '-')),
        ...bind(i),
        folderCell(i.folder),
      ]),
    );
  }
  const ports = (i: InstanceSummary) =>
    portEntries(i)
      .map(([k, p]) => `${k} ${p}`)
      .join(', ') || '-';
  return table(
    ['NAME', ...statusHeader, 'PORTS', ...(bindCol ? ['BIND'] : []), 'FOLDER'],
    items.map((i) => [label(i), ...status(i), ports(i), ...bind(i), folderCell(i.folder)]),
  );
}

/** A registration whose folder was removed still has containers (known by label): said, not hidden. */
function folderCell(folder: string): string {
  return existsSync(folder) ? folder : `${folder} (folder gone)`;
}

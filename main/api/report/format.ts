import { portEntries } from '../../shared/display/portText';
import type { InstanceWithStatus } from '../../docker/lifecycle/connections';
import type { InstanceStatus } from '../../docker/status/status';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceSummary } from '../../core/instances/serviceTypes';

/** Plain aligned columns; no colours so output pipes cleanly into grep and the seed's scripts. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `web 8080  media 50100-50200/udp`: a range is one entry. */
export function portsLine(r: Parameters<typeof portEntries>[0]): string {
  const entries = portEntries(r).map(([s, p]) => `${s} ${p}`);
  return entries.length ? entries.join('  ') : 'no published ports';
}

export function servicesText(s: InstanceStatus): string {
  return Object.entries(s.services)
    .map(([name, v]) => `${name} ${v.state === 'running' && v.health !== 'none' ? v.health : v.state}`)
    .join(', ');
}

export function statusLine(s: InstanceWithStatus): string {
  return `${s.name}: ${s.status}${Object.keys(s.services).length ? ` (${servicesText(s)})` : ''}${(s.notes ?? []).map((n) => `\n  note: ${n}`).join('')}`;
}

export function statusJson(s: InstanceWithStatus) {
  return {
    name: s.name,
    id: instanceId(s.record),
    engine: s.record.engine ?? null,
    status: s.status,
    services: s.services,
    ...(s.notes ? { notes: s.notes } : {}),
  };
}

export function summaryJson(s: InstanceSummary) {
  return {
    name: s.name,
    id: s.id,
    folder: s.folder,
    project: s.project,
    main: s.main,
    slot: s.slot,
    template: s.template,
    ports: s.ports,
    ...(s.spans ? { spans: s.spans } : {}),
    ...(s.protocols ? { protocols: s.protocols } : {}),
    bind: s.bind,
    engine: s.engine,
    files: s.files,
  };
}

export function snapshotJson(s: {
  id: string;
  instance: string;
  createdAt: string;
  reason: string;
  kind?: 'archive' | 'clone';
  dir: string;
  volumes: { name: string; bytes: number }[];
}) {
  return {
    id: s.id,
    instance: s.instance,
    createdAt: s.createdAt,
    reason: s.reason,
    kind: s.kind ?? 'archive',
    dir: s.dir,
    volumes: s.volumes.map((v) => ({ name: v.name, bytes: v.bytes })),
  };
}

import { AEGISX_SERVICES, type Ports } from './preset';

/**
 * `~/.aegisx-port-registry`, the seed's format, one instance a line:
 * `name:postgres:redis:api:web:admin:pgadmin:YYYY-MM-DD_HH:MM`.
 * Lines we did not write (the seed's own scripts) are kept verbatim and
 * their ports count as reservations.
 */
export interface MirrorEntry {
  readonly name: string;
  readonly ports: Ports;
  readonly stamp: string;
  readonly raw: string;
}

const LINE = /^([^:\s#][^:\s]*):(\d+):(\d+):(\d+):(\d+):(\d+):(\d+):(\S+)$/;

export function parseMirrorLine(raw: string): MirrorEntry | undefined {
  const m = LINE.exec(raw.trim());
  if (!m) return undefined;
  const ports: Ports = {};
  AEGISX_SERVICES.forEach((service, i) => {
    const port = Number(m[i + 2]);
    if (port > 0) ports[service] = port;
  });
  return { name: m[1]!, ports, stamp: m[8]!, raw: raw.trim() };
}

export function parseMirror(text: string): { entries: MirrorEntry[]; otherLines: string[] } {
  const entries: MirrorEntry[] = [];
  const otherLines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = parseMirrorLine(line);
    if (entry) entries.push(entry);
    else otherLines.push(line);
  }
  return { entries, otherLines };
}

/** `2025-09-13_09:15` in local time, as the seed's `date +%Y-%m-%d_%H:%M`. */
export function mirrorStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_${p(date.getHours())}:${p(date.getMinutes())}`;
}

export function formatMirrorLine(name: string, ports: Ports, date: Date): string {
  // Services a stack lacks are written as 0 so the seed's field positions hold.
  return [name, ...AEGISX_SERVICES.map((s) => ports[s] ?? 0), mirrorStamp(date)].join(':');
}

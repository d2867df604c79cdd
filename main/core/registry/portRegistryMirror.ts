import { AEGISX_SERVICES, type Ports } from '../project/preset';

/**
 * `~/.aegisx-port-registry`, the seed's format, one instance a line. The AegisX
 * scripts have written it in three shapes over time, all read here:
 *   `name:postgres:redis:api:web:admin:pgadmin:YYYY-MM-DD_HH:MM`  (the seed's)
 *   `name:postgres:redis:api:web:admin:YYYY-MM-DD_HH:MM`          (no pgAdmin)
 *   `FOLDER_NAME:postgres:redis:api:web:admin:pgadmin`            (no timestamp)
 * Lines we did not write are kept verbatim and their ports are reservations.
 */
export interface MirrorEntry {
  readonly name: string;
  readonly ports: Ports;
  /** The timestamp as written, or '' for the shape without one. */
  readonly stamp: string;
  readonly raw: string;
  /** 1-based line number in the file as read, for messages. */
  readonly line: number;
}

/** A line that is neither blank, a comment, nor any known shape: kept, and reported. */
export interface UnreadableLine {
  readonly line: number;
  readonly text: string;
}

const NAME = /^[^:\s#][^:\s]*$/;
const PORT = /^\d{1,5}$/;
/** `2025-09-13_09` — the date and hour of `date +%Y-%m-%d_%H:%M`, split at its colon. */
const STAMP_HEAD = /^\d{4}-\d{2}-\d{2}_\d{2}$/;

export function parseMirrorLine(raw: string, line = 0): MirrorEntry | undefined {
  const text = raw.trim();
  const fields = text.split(':');
  const name = fields[0]!;
  if (!NAME.test(name)) return undefined;
  // A timestamp is recognisable by its `-` and `_`; everything between the name and it is ports.
  const at = fields.findIndex((f, i) => i > 0 && STAMP_HEAD.test(f));
  const portFields = fields.slice(1, at === -1 ? undefined : at);
  const stamp = at === -1 ? '' : fields.slice(at).join(':');
  if (at !== -1 && !/^\d{4}-\d{2}-\d{2}_\d{2}:\d{2}$/.test(stamp)) return undefined;
  if (portFields.length !== 5 && portFields.length !== 6) return undefined;
  if (at === -1 && portFields.length !== 6) return undefined; // 5 bare numbers is no shape the scripts wrote
  if (!portFields.every((f) => PORT.test(f) && Number(f) <= 65535)) return undefined;
  const ports: Ports = {};
  portFields.forEach((f, i) => {
    if (Number(f) > 0) ports[AEGISX_SERVICES[i]!] = Number(f);
  });
  return { name, ports, stamp, raw: text, line };
}

export function parseMirror(text: string): {
  entries: MirrorEntry[];
  otherLines: string[];
  unreadable: UnreadableLine[];
} {
  const entries: MirrorEntry[] = [];
  const otherLines: string[] = [];
  const unreadable: UnreadableLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const entry = parseMirrorLine(line, i + 1);
    if (entry) return entries.push(entry);
    otherLines.push(line);
    if (!line.trim().startsWith('#')) unreadable.push({ line: i + 1, text: line.trim() });
  });
  return { entries, otherLines, unreadable };
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

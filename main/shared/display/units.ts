/**
 * Human numbers for the CLI, the window and the tray, written once: binary units as Docker Desktop
 * and OrbStack show them (`1.2 GiB`), CPU with one decimal (`3.4%`). No Node imports: the renderer
 * compiles this too. `--json` carries the raw numbers instead.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Shown where a figure is unknown or does not apply (a stopped instance's CPU). */
export const NO_FIGURE = '-';

/** `0 B`, `512 B`, `1.5 KiB`, `12 MiB`, `1.2 GiB`: three significant digits at most. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return NO_FIGURE;
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(n)} B`;
  // 1023.7 MiB would print as "1024 MiB": one unit up instead.
  if (n >= 999.5 && u < UNITS.length - 1) return `${(n / 1024).toFixed(2)} ${UNITS[u + 1]}`;
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${UNITS[u]}`;
}

/** `3.4%`, `0.0%`, `150%` (two busy cores are 200%, as `docker stats` shows them). */
export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return NO_FIGURE;
  return `${percent >= 100 ? Math.round(percent) : percent.toFixed(1)}%`;
}

/** One line for a card or `axi status`: `CPU 3.4% · memory 120 MiB · disk 48 MiB`. */
export function usageLine(u: {
  cpuPercent: number | null;
  memoryBytes: number | null;
  diskBytes: number | null;
  exclusiveBytes?: number | null;
}): string {
  // Not running: no CPU or memory to tell, so none is shown (a row of dashes reads as broken).
  const parts = [
    u.cpuPercent !== null && `CPU ${formatPercent(u.cpuPercent)}`,
    u.memoryBytes !== null && `memory ${formatBytes(u.memoryBytes)}`,
    `disk ${sizeWithOwn(u.diskBytes, u.exclusiveBytes)}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** A verified copy's figures: `1,204 entries, 48 MiB`. */
export function copiedFigures(v: { entries: number; bytes: number }): string {
  return `${v.entries.toLocaleString('en-US')} entries, ${formatBytes(v.bytes)}`;
}

/** How a volume's data got there: blocks shared with the source (copy-on-write) or written again. */
export function copyVerb(cloned: boolean): string {
  return cloned ? 'cloned (copy-on-write)' : 'copied';
}

/**
 * A size beside what it really costs on a copy-on-write disk (what deleting it frees): "2.1 GiB, 4.0 KiB own".
 * `own` null: the file system is copy-on-write but could not be measured ("apparent"); undefined: not asked.
 */
export function sizeWithOwn(bytes: number | null | undefined, own: number | null | undefined): string {
  if (own === undefined) return formatBytes(bytes);
  return own === null ? `${formatBytes(bytes)} (apparent)` : `${formatBytes(bytes)}, ${formatBytes(own)} own`;
}

/**
 * A snapshot's size, the same in `axi snapshots`, MCP and the window: its volumes' total; a clone's with what
 * deleting it frees ("2.1 GiB, 12 MiB own"), since its blocks are shared with the volumes until either changes.
 */
export function snapshotSize(s: {
  kind?: string;
  volumes: readonly { bytes: number }[];
  exclusiveBytes?: number | null;
}): string {
  const total = s.volumes.reduce((n, v) => n + v.bytes, 0);
  return sizeWithOwn(total, s.kind === 'clone' ? s.exclusiveBytes : undefined);
}

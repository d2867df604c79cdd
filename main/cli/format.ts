/** Plain aligned columns; no colours so output pipes cleanly into grep and the seed's scripts. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function portsLine(ports: Record<string, number>): string {
  return Object.entries(ports)
    .map(([s, p]) => `${s} ${p}`)
    .join('  ');
}

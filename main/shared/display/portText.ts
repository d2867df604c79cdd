/**
 * How a registration's ports are shown: pure and without imports, so the window's card uses the same text as
 * `list` and `setup`.
 */

/**
 * `50100-50200` for a range, `5432` for a single port; `/udp` where it is UDP alone, `/tcp+udp` where it is
 * published over both (`3577/tcp+udp`: one entry, as it is one port).
 */
export function portText(first: number, span: number | undefined, protocol?: string): string {
  const text = span && span > 1 ? `${first}-${first + span - 1}` : String(first);
  return protocol ? `${text}/${protocol}` : text;
}

/** A registration's ports as shown (`list`, `setup`, the card): `[media, 50100-50200/udp]`, a range as one entry. */
export function portEntries(r: {
  ports: Readonly<Record<string, number>>;
  spans?: Readonly<Record<string, number>> | undefined;
  protocols?: Readonly<Record<string, string>> | undefined;
}): [string, string][] {
  return Object.entries(r.ports).map(([k, p]) => [k, portText(p, r.spans?.[k], r.protocols?.[k])]);
}

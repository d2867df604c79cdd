import { labelOf, matchRef, type RefRecord } from '../../registry/instanceRef';

/**
 * What a user types for an instance is often its folder's form (`feature-login`) of a name that Docker
 * made `feature_login`: one resolver takes both, and names the close ones when nothing matches.
 */
export function matchRefLoosely<R extends RefRecord>(ref: string, records: readonly R[]): R | undefined {
  const exact = matchRef(ref, records);
  if (exact) return exact;
  const underscored = ref.replace(/-/g, '_');
  return underscored !== ref ? matchRef(underscored, records) : undefined;
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The labels of registrations whose name is close to `ref` (a third of its length apart, or containing it). */
export function closeNames(ref: string, records: readonly RefRecord[]): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const want = norm(ref.split('/').pop() ?? ref);
  const limit = Math.max(1, Math.floor(want.length / 3));
  return records
    .map((r) => ({ r, d: editDistance(want, norm(r.name)) }))
    .filter(({ r, d }) => d <= limit || (want.length >= 3 && norm(r.name).includes(want)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ r }) => labelOf(r, records));
}

/** `no registered instance named or in "feature-logn"; did you mean feature_login? (see axi list)`. */
export function notFoundText(ref: string, records: readonly RefRecord[]): string {
  const close = closeNames(ref, records);
  const hint = close.length ? `did you mean ${close.join(' or ')}? (see axi list)` : 'see axi list';
  return `no registered instance named or in ${JSON.stringify(ref)}; ${hint}`;
}

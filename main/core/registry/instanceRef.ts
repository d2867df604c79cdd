import { AxiError } from '../../shared/errors';
import type { InstanceRecord } from './record';

/**
 * Which instance a user means. Names are unique per repository, not globally:
 * `shop` and `blog` may both have a `feature_x`. A `--from` stack's Docker
 * names carry its repository's prefix (project `shop_feature_x`, volumes
 * `shop_feature_x_<key>`), so that prefix is its scope. The AegisX stack and
 * templates name volumes `<name>_<service>_data` whatever the prefix, so they
 * share one scope, `aegisx`: their bare names stay unique across repositories.
 * An instance's id is `scope/name`; a bare NAME works while one scope has it.
 */
export type RefRecord = Pick<InstanceRecord, 'name' | 'project' | 'main'> &
  Partial<Pick<InstanceRecord, 'prefix' | 'base' | 'source' | 'createdAt'>>;

/** The scope of the AegisX stack and of templates (and of registrations older than `source`). */
export const AEGISX_SCOPE = 'aegisx';

/** The repository scope: a `--from` stack's prefix (`shop` of `shop_feature_x`), else `aegisx`. */
export function scopeOf(rec: RefRecord): string {
  if (rec.source !== 'compose') return AEGISX_SCOPE;
  if (rec.prefix) return rec.prefix;
  const tail = `_${rec.name}`;
  return !rec.main && rec.project.endsWith(tail) ? rec.project.slice(0, -tail.length) : rec.project;
}

/** `shop/feature_x`: unique among registrations, stable while the instance is registered. */
export function instanceId(rec: RefRecord): string {
  return `${scopeOf(rec)}/${rec.name}`;
}

/** What lists show, by id: the bare name, or `repo/name` where another repository has the same name. */
export function labelsById(items: readonly { name: string; id: string }[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const i of items) count.set(i.name, (count.get(i.name) ?? 0) + 1);
  return new Map(items.map((i) => [i.id, count.get(i.name)! > 1 ? i.id : i.name]));
}

export function instanceLabels(records: readonly RefRecord[]): Map<string, string> {
  return labelsById(records.map((r) => ({ name: r.name, id: instanceId(r) })));
}

export function labelOf(rec: RefRecord, records: readonly RefRecord[]): string {
  return records.some((r) => r.name === rec.name && instanceId(r) !== instanceId(rec)) ? instanceId(rec) : rec.name;
}

/**
 * The registration a NAME or REPO/NAME names (REPO: the scope, or the repository's base name),
 * undefined when none does (the caller may try it as a folder). Two matches are refused, naming both.
 */
export function matchRef<R extends RefRecord>(ref: string, records: readonly R[]): R | undefined {
  const parts = ref.split('/');
  let hits: R[];
  if (parts.length === 1) hits = records.filter((r) => r.name === ref);
  else if (parts.length === 2 && parts[0] && parts[1]) {
    const [repo, name] = parts as [string, string];
    const named = records.filter((r) => r.name === name);
    hits = named.filter((r) => scopeOf(r) === repo);
    if (!hits.length) hits = named.filter((r) => r.base === repo);
  } else return undefined;
  if (hits.length > 1) {
    const ids = hits.map(instanceId).sort();
    throw new AxiError(
      'AMBIGUOUS',
      `instance name ${ref} is registered in more than one repository: ${ids.join(', ')}; name one as repo/name`,
    );
  }
  return hits[0];
}

/** A scope as a registry-file name may carry it: no `:`, space or `#`. */
const mirrorSafe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Names for the seed's registry file (`name:ports…`), one a line, by instance id. The bare name
 * goes to one instance of each name: the AegisX stack's if there is one (the seed's scripts make
 * its container names from it), else the earliest registered. Others are written `repo/name`.
 */
export function mirrorNames(records: readonly RefRecord[]): Map<string, string> {
  const rank = (r: RefRecord) =>
    [(r.source ?? 'aegisx') === 'aegisx' ? 0 : 1, r.createdAt ?? '', instanceId(r)] as const;
  const byName = new Map<string, RefRecord[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const out = new Map<string, string>();
  for (const group of byName.values()) {
    const sorted = [...group].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1].localeCompare(y[1]) || x[2].localeCompare(y[2]);
    });
    sorted.forEach((r, i) => out.set(instanceId(r), i === 0 ? r.name : `${mirrorSafe(scopeOf(r))}/${r.name}`));
  }
  return out;
}

/** What the worktree policy's removal of an instance freed (its worktree is gone). */
export interface Retired {
  name: string;
  containers: number;
  volumes: number;
  /** The snapshot taken first (`snapshot: true` in the policy), by its id. */
  snapshot?: string;
  /** Containers or volumes with its labels that are not its own, left alone. */
  skipped: readonly string[];
}

const counted = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * One plain sentence, said once, as `axi watch` prints it and the window's notification shows it:
 * "hotfix_2 removed (its worktree is gone): 3 containers, 2 volumes; snapshot kept: hotfix_2-20261206".
 * A pure function, so its words are tested without Docker.
 */
export function retiredText(r: Retired): string {
  const parts = [`${counted(r.containers, 'container')}, ${counted(r.volumes, 'volume')}`];
  if (r.snapshot) parts.push(`snapshot kept: ${r.snapshot}`);
  if (r.skipped.length) parts.push(`left alone, not its own: ${r.skipped.join(', ')}`);
  return `${r.name} removed (its worktree is gone): ${parts.join('; ')}`;
}

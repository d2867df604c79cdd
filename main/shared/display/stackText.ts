/** A deployed Swarm stack's task counts, as `docker stack services` gives them. */
export interface StackCounts {
  running: number;
  desired: number;
}

/** `2/3 tasks running`: the CLI's STACK column, the card's stack line and the tray say it alike. */
export function stackTasks(s: StackCounts): string {
  return `${s.running}/${s.desired} tasks running`;
}

/** The stack's services that lack tasks, without the stack's prefix: `pgadmin 0/1` (all running: empty). */
export function stackShortfall(s: { services: readonly (StackCounts & { name: string })[] }, prefix: string): string {
  return s.services
    .filter((v) => v.running < v.desired)
    .map(
      (v) => `${v.name.startsWith(`${prefix}_`) ? v.name.slice(prefix.length + 1) : v.name} ${v.running}/${v.desired}`,
    )
    .join(', ');
}

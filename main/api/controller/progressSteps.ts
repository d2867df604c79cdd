/**
 * Compose's progress lines, as the window says them. The CLI prints Compose's own lines; the window has
 * one line of progress per instance, where "Container aegisx-auth-postgres-1  Started" or v1's
 * "Starting aegisx_auth_postgres ... done" reads as noise. Pure: the unit tests feed it both versions' lines.
 */

const VERBS: Record<string, string> = {
  creating: 'creating',
  created: 'created',
  recreating: 'recreating',
  recreate: 'recreating',
  recreated: 'recreated',
  starting: 'starting',
  started: 'started',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  removing: 'removing',
  removed: 'removed',
  waiting: 'waiting',
  healthy: 'healthy',
  pulling: 'pulling',
  pulled: 'pulled',
};

export interface ComposeEvent {
  kind: 'container' | 'network' | 'volume' | 'image';
  /** The service (for a container), else the object's name. */
  name: string;
  verb: string;
}

/** The service of a container name: the project and Compose's replica number stripped. */
function serviceOf(container: string, project: string): string {
  let s = container.replace(/^\/+/, '');
  // container_name "aegisx_auth_postgres"; v1 "aegisx_auth_redis_1"; v2 "aegisx_auth-redis-1" or "aegisx-auth-redis-1".
  const head = [`${project}_`, `${project}-`, `${project.replace(/_/g, '-')}-`].find((h) => s.startsWith(h));
  if (head) s = s.slice(head.length);
  return s.replace(/[-_]\d+$/, '');
}

/** A volume by its key in the compose file: "postgres_data", not "aegisx_auth_postgres_data". */
function shortName(name: string, project: string): string {
  return name.startsWith(`${project}_`) ? name.slice(project.length + 1) : name;
}

/** One Compose line (v1 or v2) as an event; null for anything else. */
export function parseComposeLine(line: string, project: string): ComposeEvent | null {
  const text = line.trim();
  // v2: " Container aegisx-auth-postgres-1  Started", " Network aegisx_auth_default  Creating"
  const v2 = /^(Container|Network|Volume|Image)\s+"?([^\s"]+)"?\s+(\w+)\b/.exec(text);
  if (v2 && VERBS[v2[3]!.toLowerCase()]) {
    const kind = v2[1]!.toLowerCase() as ComposeEvent['kind'];
    const name = kind === 'container' ? serviceOf(v2[2]!, project) : v2[2]!;
    return { kind, name, verb: VERBS[v2[3]!.toLowerCase()]! };
  }
  // v1: "Creating network "x_default" with the default driver", "Starting aegisx_auth_postgres ... done"
  const v1net = /^(Creating|Removing) (network|volume) "?([^\s"]+)"?/.exec(text);
  if (v1net) return { kind: v1net[2] as 'network' | 'volume', name: v1net[3]!, verb: VERBS[v1net[1]!.toLowerCase()]! };
  const v1 = /^(Creating|Recreating|Starting|Stopping|Removing)\s+(\S+?)(?:\s+\.\.\.\s*(\w+)?)?$/.exec(text);
  if (v1) {
    const verb = v1[1]!.toLowerCase();
    return { kind: 'container', name: serviceOf(v1[2]!, project), verb: v1[3] === 'done' ? PAST[verb]! : verb };
  }
  return null;
}

/** v1 writes "Starting x ... done": the verb's past, for "postgres started". */
const PAST: Record<string, string> = {
  creating: 'created',
  recreating: 'recreated',
  starting: 'started',
  stopping: 'stopped',
  removing: 'removed',
};

const OWN_LINES = /^(snapshot \d+\/\d+ volumes|copying |waiting for .* to be healthy|network \S+ was made by)/;

/**
 * Follows an operation's output and says, in one line, what it is doing now: the operation's own step
 * ("step 2/4: taking a snapshot of its volumes") with Compose's latest detail after it, and while Compose
 * waits for health checks, which services it is still waiting for.
 */
export class ProgressSteps {
  private phase = '';
  private readonly waiting = new Set<string>();

  constructor(private readonly project: string) {}

  /** The line to show for this output line; null when it adds nothing (the previous one stands). */
  line(raw: string): string | null {
    const text = raw.trim();
    if (!text) return null;
    if (/^step \d+\/\d+: /.test(text)) return (this.phase = text);
    // axi's own lines (snapshots, copies, health waits, a v1 network released) are already in words.
    if (OWN_LINES.test(text)) return this.phase ? `${this.phase} · ${text}` : text;
    const e = parseComposeLine(text, this.project);
    if (!e) return null;
    const detail = this.detail(e);
    return this.phase ? `${this.phase} · ${detail}` : detail;
  }

  private detail(e: ComposeEvent): string {
    if (e.kind === 'container' && e.verb === 'waiting') this.waiting.add(e.name);
    if (e.kind === 'container' && e.verb === 'healthy') this.waiting.delete(e.name);
    if (this.waiting.size && (e.verb === 'waiting' || e.verb === 'healthy'))
      return `waiting for ${[...this.waiting].join(', ')} to be healthy`;
    if (e.kind === 'network') return `${e.verb} the network`;
    if (e.kind === 'volume') return `${e.verb} volume ${shortName(e.name, this.project)}`;
    if (e.kind === 'image') return `${e.verb} image ${e.name}`;
    return /ing$/.test(e.verb) ? `${e.verb} ${e.name}` : `${e.name} ${e.verb}`;
  }
}

/**
 * How an instance is shown: its one state word and colour, and where it sits
 * in the list (grouped by repository, found by search, kept by the filter).
 * Pure and without Node imports: the window compiles it, the unit tests run it.
 */
import type { ConflictView, EngineState, InstanceView } from '../api/table';

export type Tone = 'busy' | 'ok' | 'partial' | 'idle' | 'bad' | 'unknown';

export interface StateDisplay {
  /** One word or two: "Starting", "Running", "Partly running", "Stopped", "Not created", "Unknown". */
  word: string;
  tone: Tone;
  /** What qualifies it: "12 s", "redis stopped", "3 h ago"; empty when there is nothing to add. */
  detail: string;
}

const BUSY_WORDS: Record<string, string> = {
  start: 'Starting',
  stop: 'Stopping',
  reset: 'Resetting',
  restore: 'Restoring',
  remove: 'Removing',
  reassign: 'Reassigning ports',
  register: 'Registering',
  'copy data': 'Copying data',
  sleep: 'Going to sleep',
  wake: 'Waking',
};

/** "4 s", "3 min", "2 h", "5 d": a span as a person reads it at a glance. */
export function shortSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

function busyWord(what: string): string {
  return BUSY_WORDS[what] ?? `${what[0]!.toUpperCase()}${what.slice(1)}`;
}

/** Services that are not running in a partly running instance, named. */
function notRunning(i: InstanceView): string {
  const down = Object.entries(i.services)
    .filter(([, s]) => s.state !== 'running')
    .map(([n, s]) => `${n} ${s.state === 'exited' ? 'stopped' : s.state}`);
  return down.join(', ');
}

/** The one state of an instance, for the card, the table row and the tray. */
export function stateOf(i: InstanceView, engine: EngineState | undefined, now: number): StateDisplay {
  if (i.busy) return { word: busyWord(i.busy), tone: 'busy', detail: i.busySince ? shortSpan(now - i.busySince) : '' };
  if (engine && engine !== 'connected') return { word: 'Unknown', tone: 'unknown', detail: 'engine unreachable' };
  const since = i.since === null ? '' : shortSpan(now - i.since);
  const unhealthy = Object.entries(i.services).filter(([, s]) => s.health === 'unhealthy');
  const starting = Object.entries(i.services).filter(([, s]) => s.state === 'running' && s.health === 'starting');
  switch (i.status) {
    case 'running':
      if (i.copyPause === 'paused') return { word: 'Running', tone: 'ok', detail: 'paused for a copy' };
      if (i.copyPause && starting.length) return { word: 'Running', tone: 'ok', detail: 'resuming after a copy' };
      if (unhealthy.length) return { word: 'Unhealthy', tone: 'bad', detail: unhealthy.map(([n]) => n).join(', ') };
      if (starting.length) {
        const names = starting.map(([n]) => n).join(', ');
        return { word: 'Starting', tone: 'busy', detail: `waiting for ${names} healthy${since && ` (${since})`}` };
      }
      return { word: 'Running', tone: 'ok', detail: since && `up ${since}` };
    case 'partial':
      return { word: 'Partly running', tone: 'partial', detail: notRunning(i) };
    case 'stopped':
      return { word: 'Stopped', tone: 'idle', detail: since && `${since} ago` };
    case 'asleep':
      // Its own state, never "Stopped": the first request through the router (or Wake) starts it.
      return { word: 'Asleep', tone: 'idle', detail: since };
    case 'not-created':
      return { word: 'Not created', tone: 'idle', detail: '' };
    default:
      return { word: 'Unknown', tone: 'unknown', detail: '' };
  }
}

/**
 * A repository's main checkout, as the user means it: its registration's `main`; also, in git, a main worktree's
 * own folder registered as one whose Docker names another repository held (no suffix). A second separate clone
 * (`shop-2`: git's main worktree of its own copy, an instance by its registration) never is.
 */
export function isMainCheckout(i: Pick<InstanceView, 'main' | 'folder' | 'repository' | 'suffix'>): boolean {
  return i.main || (Boolean(i.repository) && i.repository === i.folder && !i.suffix);
}

/** The conflicts that are about this instance (conflicts name instances by label). */
export function conflictsOf(i: InstanceView, conflicts: readonly ConflictView[]): ConflictView[] {
  return conflicts.filter((c) => c.instances[0] === i.label);
}

/** Something needs the user: a failure, a conflict, a gone folder, a half-up or unhealthy stack. */
export function hasProblem(i: InstanceView, conflicts: readonly ConflictView[]): boolean {
  return (
    Boolean(i.error) ||
    i.gone ||
    i.status === 'partial' ||
    Object.values(i.services).some((s) => s.health === 'unhealthy') ||
    conflictsOf(i, conflicts).length > 0
  );
}

export type ListFilter = 'all' | 'running' | 'problems';

/** Name, label, branch, folder, or a port (its digits as typed): what a user remembers an instance by. */
export function matchesQuery(i: InstanceView, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (/^\d+$/.test(q)) return Object.values(i.ports).some((p) => String(p).startsWith(q));
  return [i.label, i.name, i.branch ?? '', i.folder].some((x) => x.toLowerCase().includes(q));
}

export interface InstanceGroup {
  /** The repository's main folder; '' for the folders outside git. */
  repository: string;
  /** What to call it: the repository's folder name. */
  title: string;
  instances: InstanceView[];
}

const OUTSIDE_GIT = 'Folders outside git';

function folderName(folder: string): string {
  return (
    folder
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? folder
  );
}

/** What the search and the filter keep: by id. The list hides the rest rather than unmounting it (fast typing). */
export function visibleIds(
  instances: readonly InstanceView[],
  opts: { query?: string; filter?: ListFilter; conflicts?: readonly ConflictView[] },
): Set<string> {
  return new Set(
    groupInstances(instances, opts)
      .flatMap((g) => g.instances)
      .map((i) => i.id),
  );
}

/** An instance's scope: the part of its id before the name (`shop` of `shop/feature_x`). */
const scopeOfId = (id: string) => id.slice(0, id.lastIndexOf('/'));

/**
 * Which repository's group each instance goes in: its git repository's, except for a separate clone registered as
 * an instance (`chat-docker-2`, the seed's `aegisx-starter-auth-fix`: git's main worktree of its own copy), which goes
 * with the one main checkout whose names it shares. Left alone where no single main checkout has those names.
 */
function cloneGroups(instances: readonly InstanceView[]): (i: InstanceView) => string {
  const mains = new Map<string, string | null>();
  for (const m of instances) {
    if (!m.main || !m.repository) continue;
    const scope = scopeOfId(m.id);
    mains.set(scope, mains.has(scope) ? null : m.repository);
  }
  return (i) => {
    const own = i.repository ?? '';
    if (i.main || !own || own !== i.folder) return own;
    return mains.get(scopeOfId(i.id)) ?? own;
  };
}

/**
 * Grouped by git repository (by name, folders outside git last), the main checkout first, then its worktrees by label. The
 * order depends on names only, never on state, so nothing moves under the pointer as instances start.
 */
export function groupInstances(
  instances: readonly InstanceView[],
  opts: { query?: string; filter?: ListFilter; conflicts?: readonly ConflictView[] } = {},
): InstanceGroup[] {
  const conflicts = opts.conflicts ?? [];
  const keep = (i: InstanceView) =>
    matchesQuery(i, opts.query ?? '') &&
    (opts.filter === 'running'
      ? i.status === 'running' || i.status === 'partial' || Boolean(i.busy)
      : opts.filter === 'problems'
        ? hasProblem(i, conflicts)
        : true);
  const byRepo = new Map<string, InstanceView[]>();
  const groupOf = cloneGroups(instances);
  for (const i of instances) {
    const repository = groupOf(i);
    byRepo.set(repository, [...(byRepo.get(repository) ?? []), i]);
  }
  const groups: InstanceGroup[] = [];
  for (const [repository, all] of byRepo) {
    // The main checkout (the repository's own folder) first, then its worktrees and clones by name.
    const first = (i: InstanceView) => Number(i.folder === repository);
    const shown = all
      .filter(keep)
      .sort((a, b) => first(b) - first(a) || a.label.localeCompare(b.label, 'en', { numeric: true }));
    const title = repository ? folderName(repository) : OUTSIDE_GIT;
    if (shown.length) groups.push({ repository, title, instances: shown });
  }
  // Repositories by name; the folders outside git last.
  return groups.sort(
    (a, b) => Number(!a.repository) - Number(!b.repository) || a.title.localeCompare(b.title, 'en', { numeric: true }),
  );
}

/** "web 4201 → 4301, api 3334 → 3434": what a reassignment moved, for the message that follows it. */
export function portMoves(before: Record<string, number>, after: Record<string, number>): string {
  const moved = Object.keys(after).filter((k) => before[k] !== undefined && before[k] !== after[k]);
  return moved.length ? moved.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ') : 'no port had to move';
}

/** Who holds a port, named: another instance (its containers), else the program (pid 0: named by a remote engine). */
export function holderWords(c: { process?: { pid: number; name: string }; heldBy?: string }): string {
  if (c.heldBy) return `instance ${c.heldBy} (its containers)`;
  if (!c.process) return 'another program';
  return c.process.pid ? `${c.process.name} (pid ${c.process.pid})` : c.process.name;
}

/**
 * A message from the core, in the window's words: where it names a CLI command or flag, the window has a
 * control of its own for it (the error travels unchanged to the CLI, which keeps its own words).
 */
export function inWindowWords(text: string): string {
  return text
    .replace(/stop it or run axi setup \S+ --reassign/g, 'stop it, or press Reassign ports')
    .replace(/(stop it or )?use --reassign to take other ports/g, (_, stop: string | undefined) =>
      stop ? 'stop it, or use Register with other ports' : 'use Register with other ports',
    )
    .replace(/see axi snapshots \S+/g, 'see Snapshots… on its card')
    .replace(/stop it first \(axi stop (\S+)\)/g, 'stop it first (Stop on its card)')
    .replace(/start it with axi up \S+/g, 'start it with Start')
    .replace(/accept it with: axi trust \S+ \(or axi up \S+ --yes\)/g, 'press Start to review and accept it')
    .replace(
      /stop and remove its containers with axi remove \S+ --down \(volumes are kept\)/g,
      'use Remove (volumes are kept)',
    )
    .replace(
      /choose (?:--from \S+ ?)+\(its own compose file\) or --template aegisx \(the AegisX stack\)/g,
      'choose one below',
    );
}

/** "just now", "5 min ago", "2 h ago", "3 d ago": how old a snapshot is. */
export function ago(then: number, now: number): string {
  return now - then < 60_000 ? 'just now' : `${shortSpan(now - then)} ago`;
}

/**
 * A Docker log time (RFC 3339, nanoseconds with trailing zeros trimmed) as a key that sorts as the time
 * does: the fraction padded to nine digits. Without a time: '' (sorted with the line before it).
 */
export function logTimeKey(time: string | undefined): string {
  if (!time) return '';
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(time);
  if (!m || (m[3] !== 'Z' && m[3] !== '')) return String(Date.parse(time)).padStart(20, '0');
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/**
 * Lines of several services merged by their Docker time, stable for equal times (a line goes after every
 * line with the same time or earlier). Each service's history arrives as one chunk, so appending would
 * show them service after service. A line without a time goes last.
 */
export function mergeByTime<L extends { time?: string }>(lines: readonly L[], more: readonly L[]): L[] {
  const out = [...lines];
  for (const l of more) {
    const key = logTimeKey(l.time);
    if (!key) {
      out.push(l);
      continue;
    }
    let lo = 0;
    let hi = out.length;
    // The first line that is later than `l`; lines without a time count as later than none (skipped right).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = logTimeKey(out[mid]!.time);
      if (k && k > key) hi = mid;
      else lo = mid + 1;
    }
    out.splice(lo, 0, l);
  }
  return out;
}

/** Where an item sits on the screen (its bounding box), for moving between cards in a grid. */
export interface ItemBox {
  top: number;
  left: number;
  width: number;
}

/**
 * The item an arrow key moves to in a grid of cards: Left/Right the one before or after in reading order,
 * Up/Down the one in the row above or below whose centre is nearest (one column: the next one). -1: none.
 */
export function gridNeighbour(boxes: readonly ItemBox[], at: number, key: string): number {
  if (key === 'ArrowLeft') return at - 1;
  if (key === 'ArrowRight') return at + 1 < boxes.length ? at + 1 : -1;
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return -1;
  const here = boxes[at]!;
  const centre = (b: ItemBox) => b.left + b.width / 2;
  const down = key === 'ArrowDown';
  // A row is the items with the same top (within a few pixels: borders and rounding).
  const rowTops = boxes
    .map((b) => b.top)
    .filter((t) => (down ? t > here.top + 4 : t < here.top - 4))
    .sort((a, b) => (down ? a - b : b - a));
  if (!rowTops.length) return -1;
  const row = rowTops[0]!;
  let best = -1;
  for (const [k, b] of boxes.entries()) {
    if (Math.abs(b.top - row) > 4) continue;
    if (best < 0 || Math.abs(centre(b) - centre(here)) < Math.abs(centre(boxes[best]!) - centre(here))) best = k;
  }
  return best;
}

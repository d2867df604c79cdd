import type { ApiMethod, InstanceView, Overview, SnapshotView } from '../../shared/api/table';

/**
 * Results as an agent reads them: the fields it acts on (name, state, health, ports, URLs, notes),
 * nothing the window keeps for itself (busy, label, listening, …). `verbose: true` gives the full view.
 */
export interface CompactInstance {
  name: string;
  state: string;
  health: string;
  ports: Record<string, number>;
  urls?: Record<string, string>;
  folder?: string;
  branch?: string;
  main?: true;
  error?: string;
  notes?: string[];
}

/** One word for its services' health: the worst of them (none: no service reports one). */
export function healthOf(view: Pick<InstanceView, 'services'>): string {
  const all = Object.values(view.services).map((s) => s.health);
  for (const h of ['unhealthy', 'starting', 'healthy'] as const) if (all.includes(h)) return h;
  return 'none';
}

export function compactInstance(view: InstanceView & { notes?: string[] }, urls = true): CompactInstance {
  const out: CompactInstance = { name: view.label, state: view.status, health: healthOf(view), ports: view.ports };
  if (urls) out.urls = view.urls;
  if (view.error) out.error = view.error;
  if (view.notes?.length) out.notes = view.notes;
  return out;
}

/** In a listing: where each one is, instead of its URLs (the urls tool gives them). */
function listed(view: InstanceView): CompactInstance {
  const out = compactInstance(view, false);
  out.folder = view.folder;
  if (view.branch) out.branch = view.branch;
  if (view.main) out.main = true;
  return out;
}

const snapId = (s: SnapshotView | null | undefined) => s?.id ?? null;

type Compactor = (value: never) => unknown;

/** Per method, its short result; a method not here answers in full. */
const COMPACT: Partial<Record<ApiMethod, Compactor>> = {
  getOverview: (o: Overview) => ({
    instances: o.instances.map(listed),
    ...(o.conflicts.length ? { conflicts: o.conflicts } : {}),
    ...(o.engine !== 'connected' ? { engine: o.engine } : {}),
    ...(o.refreshError ? { refreshError: o.refreshError } : {}),
  }),
  startInstance: compactInstance,
  stopInstance: (v: InstanceView) => compactInstance(v, false),
  reassignPorts: compactInstance,
  setTunnel: (v: InstanceView) => ({ ...compactInstance(v, false), tunnel: v.tunnel ?? null }),
  resetInstance: (r: { instance: InstanceView; snapshot: SnapshotView | null }) => ({
    instance: compactInstance(r.instance, false),
    snapshot: snapId(r.snapshot),
  }),
  restoreInstance: (r: { instance: InstanceView; snapshot: SnapshotView; previous: SnapshotView | null }) => ({
    instance: compactInstance(r.instance, false),
    restored: snapId(r.snapshot),
    previous: snapId(r.previous),
  }),
  cloneData: (r: { instance: InstanceView; copied: unknown[]; snapshot: SnapshotView | null; pausedMs: number }) => ({
    ...r,
    instance: compactInstance(r.instance, false),
    snapshot: snapId(r.snapshot),
  }),
};

export function compactResult(method: ApiMethod, value: unknown, verbose: boolean): unknown {
  const c = COMPACT[method];
  return verbose || !c ? value : (c as (v: unknown) => unknown)(value);
}

/** The methods whose result has a short form: their tools take `verbose`. */
export const hasCompact = (method: ApiMethod): boolean => method in COMPACT;

/**
 * What the router does with one request: a pure function of the name asked for, the names (see
 * routes.ts) and each instance's live state as the overview has it. It never falls back: a name
 * that is not exactly one instance's gets a page saying so.
 */
import { serviceUp } from '../../shared/states';
import { hostOf, serviceOfKey, type Route, type RouteTable } from './routes';

/** An instance as the router needs it (the overview's instance views have these fields). */
export interface RoutedInstance {
  id: string;
  /** What to call it (the name, or `repo/name` where two repositories have it). */
  label: string;
  status: string;
  /**
   * Its services' states by Compose service, as the overview derives them: a name goes on only to a running
   * one (a partly running instance's stopped web port may be held by any other program).
   */
  services: Readonly<Record<string, { state: string }>>;
  /** The operation in progress (start, reassign…), if any: a page says so. */
  busy?: string | null;
  /** Paused by our own data copy: its paused services count as up (the overview's rule). */
  copyPause?: 'paused' | 'recovering';
  ports: Record<string, number>;
  /** What its running containers still publish where a reassign moved the registration (until its next start). */
  oldPorts?: Record<string, number>;
  /** Absent or null: the local engine. */
  engine?: string | null;
  /** An SSH engine's kept tunnel, which brings its ports to the same ports on 127.0.0.1. */
  tunnel?: { state: string };
  /** Host address its ports are published on. */
  bind: string;
}

export type RouteDecision =
  | { kind: 'proxy'; route: Route; instance: RoutedInstance; target: { host: string; port: number } }
  | { kind: 'unknown'; host: string }
  | { kind: 'clash'; host: string; ids: string[] }
  | { kind: 'stopped'; route: Route; instance: RoutedInstance; start: string }
  /** The instance runs in part, but not the service this name goes to (`state`: created, exited, not-created…). */
  | { kind: 'service-down'; route: Route; instance: RoutedInstance; service: string; state: string; start: string }
  | { kind: 'no-port'; route: Route; instance: RoutedInstance }
  | { kind: 'tunnel'; route: Route; instance: RoutedInstance; open: string };

/** A tcp:// (or http(s)://) engine's host, where ports published on all addresses answer. */
function directHost(engine: string): string | undefined {
  if (!/^(tcp|https?):\/\//.test(engine)) return undefined;
  try {
    return new URL(engine.replace(/^tcp:/, 'http:')).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Whether `axi tunnel` in a terminal holds this instance's tunnel open, forwarding `port` (the app's keeper did not open it). */
export type CliTunnelOpen = (id: string, port: number) => boolean;

/** Where a remote instance's port answers from here, or undefined when only its tunnel could bring it. */
function remoteTarget(i: RoutedInstance, port: number, cliTunnel: CliTunnelOpen): string | undefined {
  if (i.tunnel?.state === 'open' || cliTunnel(i.id, port)) return '127.0.0.1';
  const host = directHost(i.engine!);
  return host && i.bind === '0.0.0.0' ? host : undefined;
}

const shellWord = (s: string) => (/^[A-Za-z0-9_./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function decideRoute(
  hostHeader: string | undefined,
  table: RouteTable,
  instances: ReadonlyMap<string, RoutedInstance>,
  cliTunnel: CliTunnelOpen = () => false,
): RouteDecision {
  const host = hostOf(hostHeader);
  const clash = table.clashes.get(host);
  if (clash) return { kind: 'clash', host, ids: clash };
  const route = table.byHost.get(host);
  const instance = route && instances.get(route.id);
  if (!route || !instance) return { kind: 'unknown', host };
  const port = route.key === null ? undefined : (instance.oldPorts?.[route.key] ?? instance.ports[route.key]);
  if (port === undefined) return { kind: 'no-port', route, instance };
  const start = `axi up ${shellWord(instance.label)}`;
  if (instance.status !== 'running' && instance.status !== 'partial')
    return { kind: 'stopped', route, instance, start };
  const service = serviceOfKey(route.key!);
  const state = instance.services[service]?.state ?? 'not-created';
  if (!serviceUp(state, instance.copyPause)) return { kind: 'service-down', route, instance, service, state, start };
  if (!instance.engine) return { kind: 'proxy', route, instance, target: { host: '127.0.0.1', port } };
  const remote = remoteTarget(instance, port, cliTunnel);
  if (!remote) return tunnelClosed(route, instance);
  return { kind: 'proxy', route, instance, target: { host: remote, port } };
}

type TunnelClosed = Extract<RouteDecision, { kind: 'tunnel' }>;

const tunnelClosed = (route: Route, instance: RoutedInstance): TunnelClosed => ({
  kind: 'tunnel',
  route,
  instance,
  open: `axi tunnel ${shellWord(instance.label)}`,
});

/**
 * A remote instance sent through its tunnel, whose local port refused the connection: the tunnel is not open,
 * whatever the overview last said (ssh listens while a tunnel is open, even when the service behind it is down).
 * The overview learns of a closed tunnel a moment after it closed; in that moment the tunnel page is the truth,
 * not "did not answer, it may still be starting".
 */
export function refusedThroughTunnel(
  d: { route: Route; instance: RoutedInstance },
  target: { host: string },
  code: string | undefined,
): TunnelClosed | undefined {
  const throughTunnel = Boolean(d.instance.engine) && target.host === '127.0.0.1';
  return throughTunnel && code === 'ECONNREFUSED' ? tunnelClosed(d.route, d.instance) : undefined;
}

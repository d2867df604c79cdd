import { instanceUrls } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import { busyPorts, describeOwner, findPortOwners, hostPortProbe } from '../../core/ports/hostPorts';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { sshTarget, type SshTarget } from '../../core/util/sshTarget';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';

/** One published port of a remote instance, forwarded to the same port on this machine. */
export interface TunnelForward {
  readonly service: string;
  readonly port: number;
}

/**
 * How this machine reaches a remote instance (issue 11, section 4): SSH forwards of its published ports, or,
 * for an engine without SSH (tcp://), the engine host's own address.
 */
export type TunnelPlan =
  | {
      readonly kind: 'ssh';
      readonly name: string;
      readonly endpoint: string;
      readonly target: SshTarget;
      /** Where the ports answer on the remote host (its loopback unless the instance is bound to one address). */
      readonly remoteHost: string;
      readonly forwards: readonly TunnelForward[];
    }
  | {
      readonly kind: 'direct';
      readonly name: string;
      readonly endpoint: string;
      readonly host: string;
      readonly bind: string;
      readonly urls: Readonly<Record<string, string>>;
    };

/** The instance's URLs with the engine host's address in place of localhost. */
function urlsAt(rec: InstanceRecord, host: string): Record<string, string> {
  const at = host.includes(':') ? `[${host}]` : host;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(instanceUrls(rec).urls))
    out[k] = v.replace(/@localhost:|\/\/localhost:/, (m) => m.replace('localhost', at));
  return out;
}

/** The running instance's published ports on its engine, one forward each (what `up` published, nothing guessed). */
async function publishedForwards(lifecycle: InstanceLifecycle, rec: InstanceRecord): Promise<TunnelForward[]> {
  const running = (await lifecycle.allContainers(rec.engine ?? null)).filter(
    (c) => c.project === rec.project && c.state === 'running',
  );
  const seen = new Map<number, string>();
  for (const c of running) for (const p of c.published) if (!seen.has(p)) seen.set(p, c.service);
  return [...seen].map(([port, service]) => ({ service, port })).sort((a, b) => a.port - b.port);
}

/**
 * What `axi tunnel NAME` would do, asked of the instance's engine: NOT_FOUND for an unknown name, BAD_INPUT for
 * a local instance (its ports are here already), IN_USE when nothing of it runs (nothing to forward).
 */
export async function planTunnel(
  lifecycle: InstanceLifecycle,
  nameOrDir: string,
  endpointOf: (engine: string) => string,
): Promise<TunnelPlan> {
  const rec = await lifecycle.service.find(nameOrDir);
  const name = await lifecycle.service.label(rec);
  if (!rec.engine)
    throw new AxiError(
      'BAD_INPUT',
      `${name} is on the local engine: its ports are on this machine already (axi urls ${name})`,
    );
  const endpoint = endpointOf(rec.engine);
  const scheme = new URL(endpoint).protocol;
  if (scheme === 'tcp:' || scheme === 'http:' || scheme === 'https:') {
    const host = new URL(endpoint).hostname.replace(/^\[(.*)\]$/, '$1');
    return { kind: 'direct', name, endpoint, host, bind: rec.bind ?? '0.0.0.0', urls: urlsAt(rec, host) };
  }
  if (scheme !== 'ssh:')
    throw new AxiError('BAD_INPUT', `${name} is on engine ${endpoint}, which is reached neither over SSH nor TCP`);
  const forwards = await publishedForwards(lifecycle, rec);
  if (!forwards.length) {
    const reason = `${name} publishes no port on ${endpoint}: it is not running`;
    throw new AxiError('IN_USE', `${reason} (start it with axi up ${instanceId(rec)})`, {
      reason,
      fix: { action: 'start', target: instanceId(rec) },
    });
  }
  const bind = rec.bind && !['0.0.0.0', '::', '127.0.0.1'].includes(rec.bind) ? rec.bind : '127.0.0.1';
  return { kind: 'ssh', name, endpoint, target: sshTarget(endpoint), remoteHost: bind, forwards };
}

/**
 * A forward takes the same port here: one already taken is a conflict naming its holder, never a silent shift
 * to another port (the instance's .env.local names these ports).
 */
export async function assertLocalPortsFree(plan: Extract<TunnelPlan, { kind: 'ssh' }>): Promise<void> {
  const busy = await busyPorts(
    plan.forwards.map((f) => f.port),
    hostPortProbe,
  );
  const first = plan.forwards.find((f) => busy.has(f.port));
  if (!first) return;
  const owner = (await findPortOwners([first.port])).get(first.port);
  throw new AxiError(
    'PORT_CONFLICT',
    `local port ${first.port} (${first.service}) of ${plan.name} is in use by ${describeOwner(owner)}; stop it to tunnel ${plan.name} (its ports are never shifted)`,
  );
}

import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { boundTcpPorts, type HostPortProbe, type PortOwner } from '../../core/ports/hostPorts';
import { HELPER_LABEL, OWNER_LABEL } from '../../core/project/naming';
import type { DockerConnection } from './connection';

/** What holds ports on a remote engine's host: its listeners, and each container that publishes one. */
export interface EnginePorts {
  /** Ports something on the host listens on or holds bound (published ones included: docker-proxy listens). */
  readonly listening: ReadonlySet<number>;
  /** Published ports by the container that publishes them, with its owner label. */
  readonly published: ReadonlyMap<number, { container: string; owner?: string }>;
}

/** Images axi's own stacks use, tried first for the probe: they are on an engine that ran an instance. */
const PREFERRED = ['postgres:15-alpine', 'redis:7-alpine'];

const noSuchImage = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

/**
 * Creates the probe container from an image already on the engine (nothing is pulled): the preferred ones
 * are tried by name, which costs nothing more when present; the engine's image list only when neither is.
 */
async function createProbe(docker: Dockerode): Promise<Dockerode.Container> {
  const spec = (Image: string): Dockerode.ContainerCreateOptions => ({
    Image,
    Entrypoint: ['cat'],
    Cmd: ['/proc/net/tcp', '/proc/net/tcp6'],
    Tty: true, // one raw stream, no multiplexing headers
    AttachStdout: true,
    Labels: { [HELPER_LABEL]: 'port-probe' },
    HostConfig: { NetworkMode: 'host', AutoRemove: true },
  });
  for (const image of PREFERRED) {
    try {
      return await docker.createContainer(spec(image));
    } catch (err) {
      if (!noSuchImage(err)) throw err;
    }
  }
  // Only `cat` is needed here, which any tagged image the engine has is likely to carry.
  const tags = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []);
  const any = tags.find((t) => t !== '<none>:<none>');
  if (!any) throw new AxiError('DOCKER', 'no local image to read the engine host’s listening ports with');
  return docker.createContainer(spec(any));
}

/**
 * The host's TCP listeners, read by one short-lived container in the host's network namespace
 * (`--network host`): /proc/net/tcp and tcp6 as that host's kernel reports them. Run as `docker run --rm`
 * does it: attached before it starts, its output read as it runs, removed by the engine when it exits.
 */
export async function readEngineListeners(docker: Dockerode): Promise<Set<number>> {
  const container = await createProbe(docker);
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: false });
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    await container.start();
    await ended;
    return boundTcpPorts(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined); // AutoRemove covers only one that ran
    throw err;
  }
}

/** Every port a container on the engine publishes, any owner's (asked of the engine, not guessed from names). */
export async function readPublishedPorts(docker: Dockerode): Promise<EnginePorts['published']> {
  const published = new Map<number, { container: string; owner?: string }>();
  for (const c of await docker.listContainers({ all: true })) {
    const owner = c.Labels?.[OWNER_LABEL];
    const container = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
    for (const p of c.Ports ?? [])
      if (p.PublicPort) published.set(p.PublicPort, { container, ...(owner ? { owner } : {}) });
  }
  return published;
}

export async function readEnginePorts(docker: Dockerode): Promise<EnginePorts> {
  const [listening, published] = await Promise.all([readEngineListeners(docker), readPublishedPorts(docker)]);
  return { listening, published };
}

/** A shared host can be slow (an image to start, an SSH hop), but a hung engine must not hang `setup` or `up`. */
export const PROBE_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AxiError('DOCKER_UNAVAILABLE', message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The allocator's probe for a remote engine: one container run and one container list, made on the first
 * question and reused for every port of that allocation.
 */
export function enginePortProbe(connect: () => Promise<DockerConnection>, timeoutMs = PROBE_TIMEOUT_MS): HostPortProbe {
  let ports: Promise<EnginePorts> | undefined;
  const read = () =>
    (ports ??= withTimeout(
      connect().then(({ docker }) => readEnginePorts(docker)),
      timeoutMs,
      `the port probe on the engine's host did not answer within ${timeoutMs / 1000} s`,
    ));
  const taken = (p: number, e: EnginePorts) => e.listening.has(p) || e.published.has(p);
  return {
    isFree: async (p) => !taken(p, await read()),
    busy: async (wanted) => {
      const e = await read();
      return new Set(wanted.filter((p) => taken(p, e)));
    },
    owners: async (wanted) => {
      const e = await read();
      const owners = new Map<number, PortOwner>();
      for (const p of wanted) {
        const c = e.published.get(p);
        if (c) owners.set(p, { pid: 0, name: `container ${c.container}${c.owner ? ` (owner ${c.owner})` : ''}` });
        else if (e.listening.has(p)) owners.set(p, { pid: 0, name: 'a program listening on the host' });
      }
      return owners;
    },
  };
}

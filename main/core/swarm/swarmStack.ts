import path from 'node:path';
import { parsePort } from '../compose/composePorts';
import { AxiError } from '../../shared/errors';
import { isList, isMap, scalarText } from '../compose/yamlValues';

/**
 * An instance's compose document as a Swarm stack file (`docker stack deploy -c`): pure, so every decision is
 * tested without an engine. What Swarm cannot use is dropped with a comment saying so, or refused with one line
 * naming the path, never silently carried into a stack that runs something else.
 */

/** The stack format's version: the Compose file schema 3.8 that `docker stack deploy` validates against. */
export const STACK_VERSION = '3.8';

/** Service keys of the 3.8 schema; any other key makes `docker stack deploy` refuse the whole file. */
const STACK_SERVICE_KEYS = new Set(
  (
    'build cap_add cap_drop cgroup_parent command configs container_name credential_spec depends_on deploy devices ' +
    'dns dns_search domainname entrypoint env_file environment expose external_links extra_hosts healthcheck ' +
    'hostname image init ipc isolation labels links logging mac_address network_mode networks pid ports ' +
    'privileged read_only restart secrets security_opt shm_size stdin_open stop_grace_period stop_signal sysctls ' +
    'tmpfs tty ulimits user userns_mode volumes working_dir'
  ).split(' '),
);
/** Accepted by the schema but ignored by Swarm (Docker's docs); dropped so the file says what runs. */
const IGNORED_BY_SWARM = [
  'cgroup_parent',
  'devices',
  'external_links',
  'links',
  'network_mode',
  'restart',
  'security_opt',
  'userns_mode',
];
const DEPLOY_KEYS = new Set(
  'endpoint_mode labels mode placement replicas resources restart_policy rollback_config update_config'.split(' '),
);
const TOP_KEYS = new Set(['services', 'volumes', 'networks', 'secrets', 'configs']);

export interface SwarmStackInput {
  /** The instance's compose file, parsed. */
  readonly doc: unknown;
  /** The file it came from, for error messages. */
  readonly file: string;
  /** The instance's folder: files the docker CLI reads (env_file, configs, secrets) are made absolute from it. */
  readonly folder: string;
  /** Placement constraints for every service (`.aegisx-instances.yml` → `swarm.constraints`), substituted. */
  readonly constraints: readonly string[];
  /** Replicas by service name (`swarm.replicas`). */
  readonly replicas?: Readonly<Record<string, number>>;
}

export interface SwarmStack {
  /** The stack file as data. */
  readonly stack: Record<string, unknown>;
  /** Comments for the top of the file. */
  readonly notes: string[];
  /** Comments above each service, by service name. */
  readonly serviceNotes: Record<string, string[]>;
  /** Services whose ports Compose published on one address only (loopback by default), which Swarm opens to all. */
  readonly narrowed: string[];
}

const absoluteFrom = (folder: string, p: unknown) =>
  typeof p === 'string' && !path.isAbsolute(p) && !p.startsWith('~') ? path.resolve(folder, p) : p;

/** `[IP:]HOST:CONTAINER[/proto]` as the long syntax Swarm reads; the IP is dropped (Swarm cannot bind one). */
export function swarmPort(spec: unknown, service: string): { port: unknown; hostIp?: string } {
  let parsed;
  try {
    parsed = parsePort(spec, service, {});
  } catch {
    return { port: spec }; // a `${VAR}` only the deploying environment resolves: left to docker stack deploy
  }
  const [target, protocol] = parsed.target.split('/') as [string, string | undefined];
  if (parsed.range) {
    const short = `${parsed.rangeHost ? `${parsed.rangeHost}:` : ''}${parsed.target}`;
    return { port: short, hostIp: parsed.hostIp };
  }
  const mode = isMap(spec) && spec.mode === 'host' ? 'host' : 'ingress';
  const port: Record<string, unknown> = { target: Number(target) };
  if (parsed.published !== undefined) port.published = parsed.published;
  if (protocol) port.protocol = protocol;
  port.mode = mode;
  return { port, hostIp: parsed.hostIp };
}

/** A host path in a volume entry (short or long syntax), or undefined for a named volume or tmpfs. */
function bindSource(v: unknown): string | undefined {
  if (isMap(v)) return v.type === 'bind' ? scalarText(v.source) : undefined;
  const source = scalarText(v).split(':')[0]!;
  return scalarText(v).includes(':') && /^(\.|\/|~|[A-Za-z]:[\\/])/.test(source) ? source : undefined;
}

/** Bind mounts: relative ones are refused (Swarm resolves them on whichever node runs the task). */
function checkVolumes(def: Record<string, unknown>, name: string, file: string, notes: string[]): void {
  for (const v of isList(def.volumes) ? def.volumes : []) {
    const source = bindSource(v);
    if (source === undefined) continue;
    if (!path.isAbsolute(source))
      throw new AxiError(
        'BAD_INPUT',
        `${file}: services.${name}.volumes (${source}): a bind mount with a relative path cannot go into a Swarm stack (Swarm reads it on the node that runs the task); use a named volume or an absolute path present on every node`,
      );
    notes.push(`bind mount ${source}: that path must exist on the node that runs the task`);
  }
}

/** `build:` cannot run on Swarm: dropped when an image is named, refused when there is none to run. */
function dropBuild(def: Record<string, unknown>, name: string, file: string, notes: string[]): void {
  if (def.build === undefined) return;
  if (typeof def.image !== 'string' || !def.image)
    throw new AxiError(
      'BAD_INPUT',
      `${file}: services.${name} has build: and no image:; Swarm cannot build: build the image, push it or load it on the engine, and name it in image:`,
    );
  delete def.build;
  notes.push(`build: dropped: Swarm runs the image ${def.image}, which must be on the engine or in a registry`);
}

/** `depends_on` as the list of names the stack format takes: conditions (service_healthy, …) dropped. */
function plainDependsOn(def: Record<string, unknown>, notes: string[]): void {
  if (!isMap(def.depends_on)) return;
  const names = Object.keys(def.depends_on);
  const conditions = Object.values(def.depends_on).some((d) => isMap(d) && Object.keys(d).length);
  def.depends_on = names;
  if (conditions) notes.push('depends_on conditions dropped: Swarm starts services in no order and ignores depends_on');
}

/** `deploy:` kept (resources as written) minus keys the stack format lacks; the repository's constraints added. */
function swarmDeploy(
  def: Record<string, unknown>,
  constraints: readonly string[],
  notes: string[],
  replicas?: number,
): void {
  const deploy: Record<string, unknown> = isMap(def.deploy) ? { ...def.deploy } : {};
  if (replicas !== undefined) deploy.replicas = replicas;
  const dropped = Object.keys(deploy).filter((k) => !DEPLOY_KEYS.has(k));
  for (const k of dropped) delete deploy[k];
  if (dropped.length) notes.push(`deploy.${dropped.join(', deploy.')} dropped: not in the stack format`);
  if (constraints.length) {
    const placement = isMap(deploy.placement) ? { ...deploy.placement } : {};
    const own = isList(placement.constraints) ? placement.constraints.map(String) : [];
    placement.constraints = [...own, ...constraints.filter((c) => !own.includes(c))];
    deploy.placement = placement;
  }
  if (Object.keys(deploy).length) def.deploy = deploy;
}

/** Ports in the long syntax; the addresses Compose published them on (which Swarm cannot keep) into `hostIps`. */
function swarmPorts(def: Record<string, unknown>, name: string, hostIps: Set<string>): void {
  if (!isList(def.ports)) return;
  def.ports = def.ports.map((spec) => {
    const { port, hostIp } = swarmPort(spec, name);
    if (hostIp && hostIp !== '0.0.0.0' && hostIp !== '::') hostIps.add(hostIp);
    return port;
  });
}

function swarmService(
  raw: unknown,
  name: string,
  input: SwarmStackInput,
  notes: string[],
  hostIps: Set<string>,
): Record<string, unknown> {
  if (!isMap(raw)) throw new AxiError('BAD_INPUT', `${input.file}: services.${name} is not a mapping`);
  const def: Record<string, unknown> = { ...raw };
  dropBuild(def, name, input.file, notes);
  if (def.container_name !== undefined) {
    delete def.container_name;
    notes.push('container_name dropped: Swarm names task containers itself (STACK_SERVICE.N.ID)');
  }
  plainDependsOn(def, notes);
  const ignored = IGNORED_BY_SWARM.filter((k) => def[k] !== undefined);
  const unknown = Object.keys(def).filter((k) => !STACK_SERVICE_KEYS.has(k) && !k.startsWith('x-'));
  for (const k of [...ignored, ...unknown]) delete def[k];
  if (ignored.length) notes.push(`${ignored.join(', ')} dropped: Swarm ignores it (restarts follow deploy)`);
  if (unknown.length) notes.push(`${unknown.join(', ')} dropped: not in the stack format (compose file 3.8)`);
  checkVolumes(def, name, input.file, notes);
  swarmPorts(def, name, hostIps);
  swarmDeploy(def, input.constraints, notes, input.replicas?.[name]);
  if (isList(def.env_file)) def.env_file = def.env_file.map((e) => absoluteFrom(input.folder, e));
  else if (def.env_file !== undefined) def.env_file = absoluteFrom(input.folder, def.env_file);
  return def;
}

/** A note several services share is said once at the top, naming them, instead of above each. */
function hoistShared(serviceNotes: Record<string, string[]>, notes: string[]): void {
  const byNote = new Map<string, string[]>();
  for (const [name, own] of Object.entries(serviceNotes))
    for (const n of own) byNote.set(n, [...(byNote.get(n) ?? []), name]);
  for (const [note, names] of byNote) {
    if (names.length < 2) continue;
    notes.push(`${names.join(', ')}: ${note}`);
    for (const name of names) serviceNotes[name] = serviceNotes[name]!.filter((n) => n !== note);
  }
  for (const [name, own] of Object.entries(serviceNotes)) if (!own.length) delete serviceNotes[name];
}

/** Networks become Swarm's overlays named after the stack: a Compose network's `name:` or bridge driver would clash. */
function swarmNetworks(networks: unknown, notes: string[]): Record<string, unknown> | undefined {
  if (!isMap(networks)) return undefined;
  const out: Record<string, unknown> = {};
  const renamed: string[] = [];
  for (const [key, raw] of Object.entries(networks)) {
    const def = isMap(raw) ? { ...raw } : {};
    if (!def.external) {
      if (def.name !== undefined || def.driver === 'bridge') renamed.push(key);
      delete def.name;
      if (def.driver === 'bridge') delete def.driver;
    }
    out[key] = Object.keys(def).length ? def : null;
  }
  if (renamed.length)
    notes.push(
      `networks ${renamed.join(', ')}: Compose's name and bridge driver dropped; Swarm makes each an overlay network named STACK_KEY`,
    );
  return out;
}

/** Files the docker CLI reads while deploying (configs, secrets): made absolute, so the stack file can live anywhere. */
function absoluteFiles(tops: unknown, folder: string): unknown {
  if (!isMap(tops)) return tops;
  return Object.fromEntries(
    Object.entries(tops).map(([k, d]) => [k, isMap(d) && d.file ? { ...d, file: absoluteFrom(folder, d.file) } : d]),
  );
}

/** The stack file for an instance's compose document; throws BAD_INPUT (one line, naming the path) when it cannot be one. */
export function swarmStack(input: SwarmStackInput): SwarmStack {
  const doc = input.doc;
  if (!isMap(doc) || !isMap(doc.services) || !Object.keys(doc.services).length)
    throw new AxiError('BAD_INPUT', `${input.file}: no services: mapping to make a Swarm stack of`);
  const notes: string[] = [];
  const serviceNotes: Record<string, string[]> = {};
  const services: Record<string, unknown> = {};
  const narrowed: string[] = [];
  const ips = new Set<string>();
  for (const [name, raw] of Object.entries(doc.services)) {
    const own: string[] = [];
    const hostIps = new Set<string>();
    services[name] = swarmService(raw, name, input, own, hostIps);
    if (own.length) serviceNotes[name] = own;
    if (hostIps.size) narrowed.push(name);
    for (const ip of hostIps) ips.add(ip);
  }
  hoistShared(serviceNotes, notes);
  if (narrowed.length)
    notes.push(
      `ports of ${narrowed.join(', ')}: Compose published them on ${[...ips].join(', ')} only; Swarm publishes on every address of every node (ingress), so whoever reaches a node reaches them`,
    );
  const stack: Record<string, unknown> = { version: STACK_VERSION, services };
  if (isMap(doc.volumes)) stack.volumes = doc.volumes;
  const networks = swarmNetworks(doc.networks, notes);
  if (networks) stack.networks = networks;
  for (const k of ['secrets', 'configs'] as const)
    if (doc[k] !== undefined) stack[k] = absoluteFiles(doc[k], input.folder);
  for (const [k, v] of Object.entries(doc)) if (k.startsWith('x-')) stack[k] = v;
  const dropped = Object.keys(doc).filter((k) => !TOP_KEYS.has(k) && !k.startsWith('x-') && k !== 'version');
  if (dropped.length) notes.push(`top-level ${dropped.join(', ')} dropped: the stack name is given at deploy`);
  if (isMap(doc.volumes) && Object.keys(doc.volumes).length)
    notes.push('named volumes keep their names: the stack uses the instance’s data on the node that runs it');
  if (input.constraints.length)
    notes.push(`placement constraints from .aegisx-instances.yml (swarm.constraints) on every service`);
  if (JSON.stringify(stack).includes('${'))
    notes.push('${VAR} is interpolated by docker stack deploy from its environment (axi stack --deploy adds .env)');
  return { stack, notes, serviceNotes, narrowed };
}

/** The stack as YAML text with its comments: `title` lines first, then the notes, each service's above it. */
export function renderSwarmStack(Y: typeof import('yaml'), plan: SwarmStack, title: readonly string[]): string {
  const doc = new Y.Document(plan.stack, { aliasDuplicateObjects: false });
  doc.commentBefore = [...title, ...plan.notes].map((l) => ` ${l}`).join('\n');
  const services = doc.get('services', true);
  if (Y.isMap(services)) {
    for (const pair of services.items) {
      const name = Y.isScalar(pair.key) ? String(pair.key.value) : '';
      const notes = plan.serviceNotes[name];
      if (notes && Y.isScalar(pair.key)) pair.key.commentBefore = notes.map((l) => ` ${l}`).join('\n');
    }
  }
  return doc.toString({ lineWidth: 0 });
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import { exec, RUN } from '../docker/dockerHelpers';

/**
 * A second Docker engine on this machine, for the remote-engine tests (issue 11, section 7): dockerd in a
 * network namespace of its own, reached over TCP at 10.231.0.2:2375 through a veth pair. Traffic goes only
 * to the namespace's own address. Idempotent: a leftover namespace whose engine answers is reused; one
 * whose engine does not is torn down and made again. The data root is kept as a cache of copied images.
 */
export const NETNS = 'axiremote';
export const REMOTE_ADDR = '10.231.0.2';
export const REMOTE_HOST = `tcp://${REMOTE_ADDR}:2375`;
const HOST_ADDR = '10.231.0.1';
const VETH_HOST = 'axir0';
const VETH_NS = 'axir1';
const RUN_DIR = '/run/axiremote';
const DATA_DIR = '/var/lib/axiremote';
const PIDFILE = `${RUN_DIR}/docker.pid`;
const LOG = `${RUN_DIR}/dockerd.log`;

export interface RemoteEngine {
  /** DOCKER_HOST of the engine: `tcp://10.231.0.2:2375`. */
  readonly host: string;
  readonly addr: string;
  /** `docker ARGS` against the remote engine (argument array, no shell). */
  docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stops dockerd by its pid, deletes the namespace and the veth pair. */
  stop(): Promise<void>;
}

export type RemoteOrSkip = { engine: RemoteEngine; skip?: undefined } | { engine?: undefined; skip: string };

const remoteEnv = () => ({ ...process.env, DOCKER_HOST: REMOTE_HOST, DOCKER_CONTEXT: '' });
const docker = (args: string[]) => exec('docker', args, remoteEnv());

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

/**
 * The namespace's address is reached through our veth pair. Without it (a half torn-down namespace) the
 * address would be routed out of this machine, where something else answers: nothing is sent then.
 */
async function routedToNamespace(): Promise<boolean> {
  const r = await exec('ip', ['-o', 'route', 'get', REMOTE_ADDR]);
  return r.code === 0 && new RegExp(`\\bdev ${VETH_HOST}\\b`).test(r.stdout);
}

async function answers(): Promise<boolean> {
  if (!(await routedToNamespace())) return false;
  return (await exec('docker', ['version', '--format', '{{.Server.Version}}'], remoteEnv())).code === 0;
}

function dockerdPid(file = PIDFILE): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid > 0) process.kill(pid, 0);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops the namespace's sshd and dockerd (TERM, then KILL after 20 s) and deletes the namespace with its veth pair. */
export async function teardownRemote(): Promise<void> {
  const sshd = dockerdPid(`${RUN_DIR}/ssh/sshd.pid`); // the namespace's sshd (remoteSsh.ts), if one was started
  if (sshd) process.kill(sshd, 'SIGTERM');
  const pid = dockerdPid();
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 80 && dockerdPid() === pid; i++) await sleep(250);
    if (dockerdPid() === pid) process.kill(pid, 'SIGKILL');
  }
  await exec('ip', ['link', 'del', VETH_HOST]); // absent: nothing to do
  await exec('ip', ['netns', 'del', NETNS]);
}

async function createNamespace(): Promise<void> {
  await must('ip', ['netns', 'add', NETNS]);
  await must('ip', ['link', 'add', VETH_HOST, 'type', 'veth', 'peer', 'name', VETH_NS]);
  await must('ip', ['link', 'set', VETH_NS, 'netns', NETNS]);
  await must('ip', ['addr', 'add', `${HOST_ADDR}/30`, 'dev', VETH_HOST]);
  await must('ip', ['link', 'set', VETH_HOST, 'up']);
  await must('ip', ['-n', NETNS, 'addr', 'add', `${REMOTE_ADDR}/30`, 'dev', VETH_NS]);
  await must('ip', ['-n', NETNS, 'link', 'set', VETH_NS, 'up']);
  await must('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
}

/** `nsenter --net=…`, not `ip netns exec`: the latter remounts /sys and dockerd then finds no devices cgroup. */
async function startDockerd(): Promise<void> {
  mkdirSync(RUN_DIR, { recursive: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const log = openSync(LOG, 'a');
  const child = spawn(
    'nsenter',
    [
      `--net=/var/run/netns/${NETNS}`,
      'setsid',
      'dockerd',
      ...['-H', `unix://${RUN_DIR}/docker.sock`, '-H', `tcp://${REMOTE_ADDR}:2375`, '--tls=false'],
      ...['--data-root', DATA_DIR, '--exec-root', `${RUN_DIR}/exec`, '--pidfile', PIDFILE],
    ],
    { detached: true, stdio: ['ignore', log, log], cwd: '/' },
  );
  child.unref();
  for (let i = 0; i < 120; i++) {
    if (await answers()) return;
    await sleep(250);
  }
  const tail = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').slice(-8).join('\n') : '';
  throw new Error(`dockerd in namespace ${NETNS} did not answer at ${REMOTE_HOST} within 30 s:\n${tail}`);
}

async function imageId(image: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await exec('docker', ['image', 'inspect', '-f', '{{.Id}}', image], env);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `docker save … | DOCKER_HOST=… docker load` of the images the remote engine lacks (or has in another build). */
export async function copyImages(images: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const img of images) {
    const local = await imageId(img);
    if (!local) throw new Error(`image ${img} is not on the local engine (run scripts/setup-machine.sh)`);
    if ((await imageId(img, remoteEnv())) !== local) missing.push(img);
  }
  if (!missing.length) return;
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', ...missing], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['load', '-q'], { env: remoteEnv(), stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))));
  });
}

/** Why this machine cannot host the namespace engine, or undefined when it can. */
async function cannotHost(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'a network namespace needs Linux';
  if (process.getuid?.() !== 0) return 'creating a network namespace and a second dockerd needs root';
  for (const cmd of ['ip', 'nsenter', 'dockerd']) {
    if ((await exec('sh', ['-c', 'command -v "$0"', cmd])).code !== 0) return `${cmd} is not installed`;
  }
  return undefined;
}

/**
 * The namespace engine with `images` copied over, or the reason it cannot be made here (the tests then skip
 * with that reason). `AXI_REMOTE_TESTS=0` turns it off.
 */
export async function startRemoteEngine(images: readonly string[] = []): Promise<RemoteOrSkip> {
  if (process.env.AXI_REMOTE_TESTS === '0') return { skip: 'AXI_REMOTE_TESTS=0' };
  const why = await cannotHost();
  if (why) return { skip: `no namespace engine: ${why}` };
  try {
    const nsExists = (await exec('ip', ['netns', 'list'])).stdout.split('\n').some((l) => l.split(' ')[0] === NETNS);
    if (!nsExists || !(await answers())) {
      await teardownRemote(); // a leftover half: start clean
      await createNamespace();
      await startDockerd();
    }
    await copyImages(images);
  } catch (err) {
    await teardownRemote().catch(() => undefined);
    return { skip: `no namespace engine: ${(err as Error).message}` };
  }
  return { engine: { host: REMOTE_HOST, addr: REMOTE_ADDR, docker, stop: teardownRemote } };
}

/**
 * Stops the namespace's dockerd alone, by its pid (the namespace, its address and data stay): the engine is
 * lost as a remote host's would be. Its containers stop with it (no live-restore).
 */
export async function stopRemoteDockerd(): Promise<void> {
  const pid = dockerdPid();
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 80 && dockerdPid() === pid; i++) await sleep(250);
  if (dockerdPid() === pid) process.kill(pid, 'SIGKILL');
}

/** Starts the namespace's dockerd again after stopRemoteDockerd; resolves once it answers. */
export async function restartRemoteDockerd(): Promise<void> {
  if (!(await answers())) await startDockerd();
}

/** A plain listener (not a container) on the remote host: node in the namespace, listening on all addresses. */
export function holdRemotePort(port: number): Promise<{ stop(): Promise<void> }> {
  const code = `require('net').createServer().listen(${port}, '0.0.0.0', () => console.log('ready'));`;
  const child = spawn('nsenter', [`--net=/var/run/netns/${NETNS}`, process.execPath, '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () =>
      resolve({
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill();
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`remote port holder for ${port} exited ${code}: ${err}`)));
  });
}

/** Whether a TCP connection to `host:port` is accepted within 2 s. */
export function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
}

/** Polls until `host:port` accepts (a container's server takes a moment to listen behind its DNAT rule). */
export async function waitConnects(host: string, port: number, ms = 15000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    if (await connects(host, port)) return true;
  }
  return false;
}

/** Folder suffixes (`TAG` + the run + n) whose preferred slots are far apart (slots overlap their neighbours). */
export function spreadSuffixes(count: number, tag: string): string[] {
  const out: string[] = [];
  const slots: number[] = [];
  for (let i = 0; out.length < count; i++) {
    const s = `${tag}${RUN}${i}`;
    const slot = preferredSlot(AEGISX_PRESET, s);
    if (slots.some((x) => Math.abs(x - slot) < 3) || slot > 95) continue;
    out.push(s);
    slots.push(slot);
  }
  return out;
}

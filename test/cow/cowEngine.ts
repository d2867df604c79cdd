import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { exec } from '../docker/dockerHelpers';

/**
 * Engines whose data root is on a copy-on-write file system (issue 27): a loop-mounted btrfs or XFS (reflink=1)
 * image holding the --data-root of a dockerd in a network namespace of its own, reached over TCP through a veth
 * pair, as test/remote/remoteEngine.ts does (and beside it: other names, addresses and port). overlay2 as the
 * storage driver: under the btrfs driver the stand-in images' root keeps mode 0700 and Postgres cannot load its
 * libraries. Idempotent: an engine that answers is reused; the image file is kept as a cache of copied images.
 */
export type CowFs = 'btrfs' | 'xfs';

interface CowSpec {
  fs: CowFs;
  netns: string;
  addr: string;
  hostAddr: string;
  vethHost: string;
  vethNs: string;
  runDir: string;
  image: string;
  mount: string;
}

const PORT = 2377;
const SPECS: Record<CowFs, CowSpec> = {
  btrfs: spec('btrfs', 'axicowb', '10.232.0'),
  xfs: spec('xfs', 'axicowx', '10.233.0'),
};

function spec(fs: CowFs, netns: string, net: string): CowSpec {
  return {
    fs,
    netns,
    addr: `${net}.2`,
    hostAddr: `${net}.1`,
    vethHost: `${netns}0`,
    vethNs: `${netns}1`,
    runDir: `/run/${netns}`,
    image: `/var/lib/axicow/${fs}.img`,
    mount: `/var/lib/axicow/${fs}`,
  };
}

/** Size of each sparse image: a 1 GB database, its clones and snapshots share blocks; the images take ~0.5 GB. */
const IMAGE_SIZE = process.env.AXI_COW_IMAGE_SIZE ?? '12G';

export interface CowEngine {
  readonly fs: CowFs;
  /** DOCKER_HOST of the engine: `tcp://10.232.0.2:2377`. */
  readonly host: string;
  readonly addr: string;
  /** Where the file system is mounted on this machine (the data root is `docker/` in it). */
  readonly mount: string;
  docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Bytes used on the file system (statfs), for disk figures. */
  usedBytes(): Promise<number>;
  /** Stops dockerd, unmounts, deletes the namespace (the image file stays). */
  stop(): Promise<void>;
}

export type CowOrSkip = { engine: CowEngine; skip?: undefined } | { engine?: undefined; skip: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

const hostOf = (s: CowSpec) => `tcp://${s.addr}:${PORT}`;
const envOf = (s: CowSpec) => ({ ...process.env, DOCKER_HOST: hostOf(s), DOCKER_CONTEXT: '' });

function pidOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid > 0) process.kill(pid, 0);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function answers(s: CowSpec): Promise<boolean> {
  const route = await exec('ip', ['-o', 'route', 'get', s.addr]);
  if (route.code !== 0 || !new RegExp(`\\bdev ${s.vethHost}\\b`).test(route.stdout)) return false;
  return (await exec('docker', ['version', '--format', '{{.Server.Version}}'], envOf(s))).code === 0;
}

async function mounted(s: CowSpec): Promise<boolean> {
  const r = await exec('findmnt', ['-n', '-o', 'FSTYPE', s.mount]);
  return r.code === 0 && r.stdout.trim() === s.fs;
}

/** Stops the engine (TERM, then KILL after 20 s), unmounts its file system, deletes its namespace and veth pair. */
export async function teardownCow(fs: CowFs): Promise<void> {
  started.delete(fs);
  const s = SPECS[fs];
  const file = `${s.runDir}/docker.pid`;
  const pid = pidOf(file);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 80 && pidOf(file) === pid; i++) await sleep(250);
    if (pidOf(file) === pid) process.kill(pid, 'SIGKILL');
  }
  for (let i = 0; i < 20 && (await mounted(s)); i++) {
    if ((await exec('umount', ['-R', s.mount])).code !== 0) await sleep(250); // dockerd bind-mounts its data root
  }
  await exec('umount', [`${s.runDir}/exec/netns/default`]); // dockerd's own, left mounted when it is stopped
  await exec('ip', ['link', 'del', s.vethHost]);
  await exec('ip', ['netns', 'del', s.netns]);
}

async function mountImage(s: CowSpec): Promise<void> {
  mkdirSync(s.mount, { recursive: true });
  if (await mounted(s)) return;
  if (!existsSync(s.image)) {
    await must('truncate', ['-s', IMAGE_SIZE, s.image]);
    await must(
      s.fs === 'btrfs' ? 'mkfs.btrfs' : 'mkfs.xfs',
      s.fs === 'btrfs' ? ['-q', s.image] : ['-q', '-m', 'reflink=1', s.image],
    );
  }
  await must('mount', ['-o', 'loop', s.image, s.mount]);
}

async function startDockerd(s: CowSpec): Promise<void> {
  await must('ip', ['netns', 'add', s.netns]);
  await must('ip', ['link', 'add', s.vethHost, 'type', 'veth', 'peer', 'name', s.vethNs]);
  await must('ip', ['link', 'set', s.vethNs, 'netns', s.netns]);
  await must('ip', ['addr', 'add', `${s.hostAddr}/30`, 'dev', s.vethHost]);
  await must('ip', ['link', 'set', s.vethHost, 'up']);
  await must('ip', ['-n', s.netns, 'addr', 'add', `${s.addr}/30`, 'dev', s.vethNs]);
  await must('ip', ['-n', s.netns, 'link', 'set', s.vethNs, 'up']);
  await must('ip', ['-n', s.netns, 'link', 'set', 'lo', 'up']);
  mkdirSync(s.runDir, { recursive: true });
  const log = openSync(`${s.runDir}/dockerd.log`, 'a');
  // nsenter --net, not `ip netns exec` (which remounts /sys: dockerd then finds no devices cgroup).
  const child = spawn(
    'nsenter',
    [
      `--net=/var/run/netns/${s.netns}`,
      'setsid',
      'dockerd',
      ...['-H', `unix://${s.runDir}/docker.sock`, '-H', `tcp://${s.addr}:${PORT}`, '--tls=false'],
      ...['--data-root', `${s.mount}/docker`, '--exec-root', `${s.runDir}/exec`, '--pidfile', `${s.runDir}/docker.pid`],
      ...['--storage-driver', 'overlay2'],
    ],
    { detached: true, stdio: ['ignore', log, log], cwd: '/' },
  );
  child.unref();
  for (let i = 0; i < 120; i++) {
    if (await answers(s)) return;
    await sleep(250);
  }
  const tail = readFileSync(`${s.runDir}/dockerd.log`, 'utf8').split('\n').slice(-8).join('\n');
  throw new Error(`dockerd on ${s.fs} did not answer at ${hostOf(s)} within 30 s:\n${tail}`);
}

async function imageId(image: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await exec('docker', ['image', 'inspect', '-f', '{{.Id}}', image], env);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `docker save … | docker load` of the images the engine lacks (or has in another build). */
async function copyImages(s: CowSpec, images: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const img of images) {
    const local = await imageId(img);
    if (!local) throw new Error(`image ${img} is not on the local engine (run scripts/setup-machine.sh)`);
    if ((await imageId(img, envOf(s))) !== local) missing.push(img);
  }
  if (!missing.length) return;
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', ...missing], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['load', '-q'], { env: envOf(s), stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))));
  });
}

/** Engines this process started or reused: a run interrupted (Ctrl-C, a runner's timeout) still stops them. */
const started = new Set<CowFs>();

function stopOnSignal(fs: CowFs): void {
  if (!started.size)
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      process.once(sig, () => {
        void Promise.allSettled([...started].map((f) => teardownCow(f))).finally(() =>
          process.exit(sig === 'SIGINT' ? 130 : 143),
        );
      });
  started.add(fs);
}

async function cannotHost(fs: CowFs): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'a loop-mounted file system and a network namespace need Linux';
  if (process.getuid?.() !== 0) return 'mounting a loop image and starting a second dockerd need root';
  const mkfs = fs === 'btrfs' ? 'mkfs.btrfs' : 'mkfs.xfs';
  for (const cmd of ['ip', 'nsenter', 'dockerd', 'losetup', 'findmnt', mkfs]) {
    if ((await exec('sh', ['-c', 'command -v "$0"', cmd])).code !== 0)
      return `${cmd} is not installed (scripts/setup-machine.sh installs it)`;
  }
  if (!readFileSync('/proc/filesystems', 'utf8').includes(`\t${fs}\n`)) return `the kernel has no ${fs}`;
  return undefined;
}

/** The engine on `fs` with `images` copied over, or why it cannot be made here. `AXI_COW_TESTS=0` turns it off. */
export async function startCowEngine(fs: CowFs, images: readonly string[] = []): Promise<CowOrSkip> {
  if (process.env.AXI_COW_TESTS === '0') return { skip: 'AXI_COW_TESTS=0' };
  const why = await cannotHost(fs);
  if (why) return { skip: `no ${fs} engine: ${why}` };
  const s = SPECS[fs];
  try {
    if (!(await answers(s))) {
      await teardownCow(fs); // a leftover half: start clean
      mkdirSync('/var/lib/axicow', { recursive: true });
      await mountImage(s);
      await startDockerd(s);
    }
    await copyImages(s, images);
    stopOnSignal(fs);
  } catch (err) {
    await teardownCow(fs).catch(() => undefined);
    return { skip: `no ${fs} engine: ${(err as Error).message}` };
  }
  return {
    engine: {
      fs,
      host: hostOf(s),
      addr: s.addr,
      mount: s.mount,
      docker: (args) => exec('docker', args, envOf(s)),
      usedBytes: async () => {
        const out = await must('df', ['-B1', '--output=used', s.mount]);
        return Number(out.trim().split('\n').pop());
      },
      stop: () => teardownCow(fs),
    },
  };
}

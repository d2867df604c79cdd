import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InstanceService } from '../main/core/instances/service';

export const ROOT = process.env.AXI_TEST_ROOT ?? path.resolve(__dirname, '..', '..');
export const AXI_BIN = path.join(ROOT, 'bin', 'axi.js');

/** A committer for the git repositories tests make (no global git config on a fresh machine). */
export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
} as const;

/** The service's files under a sandbox's AXI_HOME and port-registry file. */
export function sandboxPaths(env: NodeJS.ProcessEnv) {
  const home = env.AXI_HOME!;
  return {
    home,
    registryFile: path.join(home, 'instances.json'),
    mirrorFile: env.AXI_PORT_REGISTRY!,
    snapshotsDir: path.join(home, 'snapshots'),
  };
}

/** A private AXI_HOME, port-registry file and workspace, removed at the end of the test file. */
export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  folder(name: string): string;
  service(): InstanceService;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-test-'));
  const env = {
    ...process.env,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    FOLDER_NAME: '',
    // Any free port for the router `axi serve` and the app start: never 80 (CI runs as root) or a fixed one.
    AXI_ROUTER_PORT: '0',
    // Docker probes the stand-ins each second, not each 5 s: `up --wait`, reset and restore end sooner.
    AXI_HEALTH_INTERVAL: '1',
  };
  return {
    dir,
    env,
    folder(name: string) {
      const p = path.join(dir, 'work', name);
      mkdirSync(p, { recursive: true });
      return p;
    },
    service() {
      return new InstanceService({ paths: sandboxPaths(env) });
    },
    cleanup() {
      // A process that wrote here may still be finishing: retry the rare ENOTEMPTY rather than fail the suite.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/**
 * Ends a child the way a user's Ctrl-C would and waits until it has exited (SIGKILL after 10 s), so that
 * nothing it writes on its way out races the removal of its sandbox.
 */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Polls until `check` returns something truthy; fails naming `what` after `ms`. */
export async function until<T>(what: string, check: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in its own process, arguments as an array (no shell). */
export function runAxi(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AXI_BIN, ...args], { env: opts.env, cwd: opts.cwd ?? ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function runAxiJson<T = any>(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult & { json: T }> {
  return runAxi([...args, '--json'], opts).then((r) => {
    try {
      return { ...r, json: JSON.parse(r.stdout) as T };
    } catch {
      throw new Error(`axi ${args.join(' ')} printed no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
    }
  });
}

/** Another program holding a port: a separate node process listening on 0.0.0.0 (started in `cwd` where given). */
export interface PortHolder {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export function holdPort(port: number, host = '0.0.0.0', cwd?: string): Promise<PortHolder> {
  const code = `require('net').createServer().listen(${port}, ${JSON.stringify(host)}, () => console.log('ready'));`;
  const child: ChildProcess = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.once('data', () =>
      resolve({
        pid: child.pid!,
        port,
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill();
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`port holder for ${port} exited ${code}: ${err}`)));
  });
}

/** Docker's own rules: container names `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, compose project names `[a-z0-9][a-z0-9_-]*`. */
export const DOCKER_CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
export const COMPOSE_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

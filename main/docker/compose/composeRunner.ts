import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';
import { debug } from '../../core/util/debug';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';

/** `docker compose` (v2 plugin) when present, else `docker-compose` (v1). */
export interface ComposeCli {
  readonly command: string;
  readonly prefix: readonly string[];
  readonly version: 1 | 2;
}

export type OutputSink = (line: string, stream: 'stdout' | 'stderr') => void;

function exitsZero(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

function onPath(cmd: string): boolean {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && exts.some((e) => existsSync(path.join(dir, cmd + e))));
}

let detected: Promise<ComposeCli> | undefined;

const V2: ComposeCli = { command: 'docker', prefix: ['compose'], version: 2 };
const V1: ComposeCli = { command: 'docker-compose', prefix: [], version: 1 };

/**
 * `docker compose` (v2) when the plugin answers, else `docker-compose` (v1). `AXI_COMPOSE=v1|v2`
 * picks one (for a machine with both; the test suites run each).
 */
export function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCli> {
  const forced = env.AXI_COMPOSE;
  if (forced && forced !== 'v1' && forced !== 'v2') {
    return Promise.reject(new AxiError('BAD_INPUT', `AXI_COMPOSE ${JSON.stringify(forced)} is not v1 or v2`));
  }
  if (forced === 'v1') return Promise.resolve(V1);
  if (forced === 'v2') return Promise.resolve(V2);
  detected ??= (async () => {
    if (await exitsZero('docker', ['compose', 'version'])) return V2;
    // v1 is a Python program that takes ~0.5 s to print its version: finding it on PATH is enough.
    if (onPath('docker-compose')) return V1;
    detected = undefined;
    throw new AxiError(
      'DOCKER',
      'neither `docker compose` nor `docker-compose` is installed; install the Compose plugin or docker-compose',
    );
  })();
  return detected;
}

/** The seed's smart choice: the instance file when it exists, else the folder's own compose file. */
export async function composeFileFor(folder: string): Promise<string> {
  for (const name of [COMPOSE_FILE, 'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml']) {
    const file = path.join(folder, name);
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  throw new AxiError('NOT_FOUND', `no ${COMPOSE_FILE} or docker-compose.yml in ${folder}; run axi setup ${folder}`);
}

export interface ComposeRun {
  folder: string;
  project: string;
  file: string;
  args: string[];
  onOutput?: OutputSink;
  /** Called once the Compose process has started. */
  onSpawn?: () => void;
  /** DOCKER_HOST of the engine we are connected to, so Compose talks to the same one. */
  dockerHost?: string;
  /** The `.env` Compose reads for the project's own file, when that is not the instance file's folder. */
  envFile?: string;
}

/**
 * The `.env` beside a `--from` file in a subfolder (`docker/.env`): Compose reads it for that file,
 * while for the instance file in the checkout's root it would read the root's.
 */
export async function sourceEnvFile(
  folder: string,
  from: readonly string[] | null | undefined,
): Promise<string | undefined> {
  const first = from?.[0];
  if (!first) return undefined;
  const dir = path.dirname(path.resolve(folder, first));
  if (dir === path.resolve(folder)) return undefined;
  const file = path.join(dir, '.env');
  return (await access(file).then(
    () => true,
    () => false,
  ))
    ? file
    : undefined;
}

/**
 * Compose v1 on a volume or network made before axi labelled its owner: harmless (the labels only say whose it
 * is), and its advice to recreate a volume would lose data.
 */
const OUR_LABEL_CHANGED = /^(Volume|Network) \S+: label "dev\.aegisx-instances\.[^"]+" has changed\./;

/**
 * Runs Compose with an argument array (folder names and project names never
 * meet a shell); streams its output line by line; keeps the tail for errors.
 */
export async function runCompose(run: ComposeRun): Promise<{ code: number; tail: string[] }> {
  const cli = await detectCompose();
  const args = [
    ...cli.prefix,
    ...(run.envFile ? ['--env-file', run.envFile] : []),
    '-p',
    run.project,
    '-f',
    run.file,
    ...run.args,
  ];
  const env = { ...process.env, ...(run.dockerHost ? { DOCKER_HOST: run.dockerHost } : {}) };
  debug(`spawn ${[cli.command, ...args].join(' ')} (in ${run.folder})`);
  return new Promise((resolve, reject) => {
    const child = spawn(cli.command, args, { cwd: run.folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('spawn', () => run.onSpawn?.());
    const tail: string[] = [];
    const pipe = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        const lines = buf.split(/\r?\n/);
        buf = lines.pop()!;
        for (const l of lines) emit(l, name);
      });
      stream.on('end', () => buf && emit(buf, name));
    };
    const emit = (line: string, name: 'stdout' | 'stderr') => {
      if (OUR_LABEL_CHANGED.test(line)) return;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      run.onOutput?.(line, name);
    };
    pipe(child.stdout, 'stdout');
    pipe(child.stderr, 'stderr');
    child.on('error', (err) => {
      run.onSpawn?.();
      reject(new AxiError('DOCKER', `cannot run ${cli.command}: ${err.message}`));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

/** A failed Compose run, with its last lines (the caller may recognise a case it can repair). */
export class ComposeError extends AxiError {
  constructor(
    message: string,
    readonly tail: readonly string[],
  ) {
    super('DOCKER', message);
  }
}

/** Runs Compose and turns a non-zero exit into an error carrying its last lines. */
export async function compose(run: ComposeRun, what: string): Promise<void> {
  const { code, tail } = await runCompose(run);
  if (code !== 0) {
    const last = tail
      .filter((l) => l.trim())
      .slice(-3)
      .join(' | ');
    throw new ComposeError(`${what} failed for ${run.project} (compose exit ${code}): ${last}`, tail);
  }
}

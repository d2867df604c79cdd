import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { parseEnvFile } from '../../core/compose/composeEnvPorts';
import { debug } from '../../core/util/debug';
import { engineLabel, isEngineUrl } from '../../shared/display/engine';
import { AxiError } from '../../shared/errors';
import { PROJECT_LABEL } from '../../core/project/naming';
import type { InstanceRecord } from '../../core/registry/record';
import { sourceEnvFile } from '../compose/composeRunner';
import type { DockerConnection, Endpoint } from '../engine/connection';
import type { StackFile } from './swarmFile';

/** How `docker stack deploy` treats image digests; `never` by default: instance images are often local builds. */
export const RESOLVE_IMAGE_MODES = ['always', 'changed', 'never'] as const;
export type ResolveImage = (typeof RESOLVE_IMAGE_MODES)[number];

/**
 * The docker CLI pointed at the instance's engine as Docker's own CLI names it: a context by DOCKER_CONTEXT (its
 * TLS and SSH settings apply), the registration's own or the one axi reached the local engine through; else the
 * endpoint URL axi is connected to, by DOCKER_HOST.
 */
export function dockerCliEnv(
  engine: string | null | undefined,
  connected: Endpoint,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env = { ...base };
  const context = engine && !isEngineUrl(engine) ? engine : /^docker context (.+)$/.exec(connected.source)?.[1];
  if (context) {
    env.DOCKER_CONTEXT = context;
    delete env.DOCKER_HOST;
  } else {
    env.DOCKER_HOST = connected.host;
    delete env.DOCKER_CONTEXT;
  }
  return env;
}

/** Refuses an engine that cannot take a stack: not in swarm mode, or a worker (only managers deploy). */
export async function assertSwarmManager(docker: Dockerode, rec: InstanceRecord): Promise<void> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const where = rec.engine ? `the Docker engine ${engineLabel(rec.engine)}` : 'the local Docker engine';
  if (info.Swarm?.LocalNodeState !== 'active')
    throw new AxiError('BAD_INPUT', `${where} is not in swarm mode: run \`docker swarm init\` there`);
  if (!info.Swarm.ControlAvailable)
    throw new AxiError('BAD_INPUT', `${where} is a swarm worker: deploy from a manager node`);
}

/** The stack publishes the instance's ports: its Compose containers must not be running beside it. */
export async function assertComposeStopped(docker: Dockerode, rec: InstanceRecord): Promise<void> {
  const running = await docker.listContainers({
    filters: { label: [`${PROJECT_LABEL}=${rec.project}`], status: ['running'] },
  });
  if (running.length)
    throw new AxiError(
      'IN_USE',
      `${rec.name} is running under Compose on ${engineLabel(rec.engine)} (its ports would clash with the stack's); stop it first: axi stop ${rec.name}`,
    );
}

/** `${VAR}` in the stack: docker stack deploy reads only its environment, so the checkout's `.env` fills in (the shell's wins, as in Compose). */
async function interpolationEnv(rec: InstanceRecord, text: string): Promise<Record<string, string>> {
  if (!text.includes('${')) return {};
  const file = (await sourceEnvFile(rec.folder, rec.from)) ?? path.join(rec.folder, '.env');
  const vars = parseEnvFile(await readFile(file, 'utf8').catch(() => ''));
  // The project's .env never points the docker CLI elsewhere (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, …).
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !k.startsWith('DOCKER_')));
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ ok: boolean; out: string }> {
  debug(`spawn docker ${args.join(' ')} (in ${cwd})`);
  return new Promise((resolve) => {
    execFile('docker', args, { env, cwd, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ ok: !err, out: `${stdout}\n${stderr}${err && !stderr ? `\n${err.message}` : ''}` }),
    );
  });
}

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? '';

/**
 * `docker stack deploy` of the stack file on the instance's engine (argument array, no shell). Without `file`
 * the text goes through a private temporary file, removed afterwards. Resolves to the CLI's output lines.
 */
export async function deployStack(
  conn: DockerConnection,
  rec: InstanceRecord,
  stack: StackFile,
  opts: { file?: string; resolveImage?: ResolveImage } = {},
): Promise<string[]> {
  await assertSwarmManager(conn.docker, rec);
  await assertComposeStopped(conn.docker, rec);
  const env = dockerCliEnv(rec.engine, conn.endpoint, {
    ...(await interpolationEnv(rec, stack.text)),
    ...process.env,
  });
  const dir = opts.file ? undefined : await mkdtemp(path.join(os.tmpdir(), 'axi-stack-'));
  const file = opts.file ?? path.join(dir!, 'stack.yml');
  try {
    if (dir) await writeFile(file, stack.text, { mode: 0o600 });
    const args = ['stack', 'deploy', '--resolve-image', opts.resolveImage ?? 'never', '-c', file, stack.stack];
    const r = await run(args, env, rec.folder);
    if (!r.ok)
      throw new AxiError(
        'DOCKER',
        `docker stack deploy ${stack.stack} failed on ${engineLabel(rec.engine)}: ${lastLine(r.out)}`,
      );
    return r.out.split('\n').filter((l) => l.trim());
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

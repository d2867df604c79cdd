import { execFile } from 'node:child_process';
import net from 'node:net';
import { REGISTRY_HOME_LABEL } from '../../main/core/project/naming';

export function exec(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Real psql against an instance's published port. */
export async function psql(port: number, sql: string): Promise<string> {
  const r = await exec(
    'psql',
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'aegisx_db', '-Atqc', sql],
    {
      ...process.env,
      PGPASSWORD: 'postgres',
      PGCONNECT_TIMEOUT: '5',
    },
  );
  if (r.code !== 0) throw new Error(`psql on ${port}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** psql, a few tries: the first connection right after a (re)start may meet Postgres finishing its start-up. */
export async function psqlSoon(port: number, sql: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await psql(port, sql);
    } catch (err) {
      if (i >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A Redis PING over RESP on the host port. */
export function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.setTimeout(5000, () => (s.destroy(), reject(new Error(`redis on ${port}: timeout`))));
    s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.on('data', (d: Buffer) => {
      data += d.toString('utf8');
      if (data.includes('\r\n')) {
        s.end();
        resolve(data.trim());
      }
    });
    s.on('error', reject);
  });
}

export async function volumeExists(name: string): Promise<boolean> {
  return (await exec('docker', ['volume', 'inspect', name])).code === 0;
}

export async function containerExists(name: string): Promise<boolean> {
  return (await exec('docker', ['container', 'inspect', name])).code === 0;
}

/** Unique per run, so a rerun never meets a previous run's containers. */
export const RUN = Date.now().toString(36).slice(-5);

/** The Compose the suite runs under (`AXI_COMPOSE=v2` in the v2 pass of `npm test`), for clean-up and checks. */
export function composeCli(env: NodeJS.ProcessEnv = process.env): { cmd: string; pre: string[]; version: 1 | 2 } {
  return env.AXI_COMPOSE === 'v2'
    ? { cmd: 'docker', pre: ['compose'], version: 2 }
    : { cmd: 'docker-compose', pre: [], version: 1 };
}

/** `compose -p PROJECT -f FILE down --volumes`, with the suite's Compose: removes what a test made. */
export function composeDown(project: string, file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = composeCli();
  return exec(c.cmd, [...c.pre, '-p', project, '-f', file, 'down', '--volumes']);
}

/**
 * composeDown for each [project, file], different files at once (each its own containers, network and volumes),
 * the projects of one file one after another (they may name the same volumes); a pair listed twice runs once.
 */
export async function composeDownAll(list: [project: string, file: string][]): Promise<void> {
  const byFile = new Map<string, Set<string>>();
  for (const [project, file] of list) byFile.set(file, (byFile.get(file) ?? new Set()).add(project));
  await Promise.all(
    [...byFile].map(async ([file, projects]) => {
      for (const project of projects) await composeDown(project, file);
    }),
  );
}

/**
 * Removes every container, volume and network that axi made for this sandbox: each carries its AXI_HOME as a
 * label, whatever its project or name became during the suite, and nothing of another suite or engineer does.
 * Call it once the suite's own processes (serve, watch, controllers) have exited, so nothing makes more after it.
 */
export async function removeOwned(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.AXI_HOME) throw new Error('removeOwned: the env has no AXI_HOME');
  const filter = ['--filter', `label=${REGISTRY_HOME_LABEL}=${env.AXI_HOME}`];
  const ids = async (...list: string[]) =>
    (await exec('docker', [...list, '-q', ...filter])).stdout.split('\n').filter(Boolean);
  const containers = await ids('ps', '-a');
  if (containers.length) await exec('docker', ['rm', '-f', '-v', ...containers]);
  const volumes = await ids('volume', 'ls');
  if (volumes.length) await exec('docker', ['volume', 'rm', '-f', ...volumes]);
  const networks = await ids('network', 'ls');
  if (networks.length) await exec('docker', ['network', 'rm', ...networks]);
}

/** One Redis command over RESP on the host port; the reply's first line. */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.setTimeout(5000, () => (s.destroy(), reject(new Error(`redis on ${port}: timeout`))));
    s.on('connect', () =>
      s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`),
    );
    s.on('data', (d: Buffer) => {
      data += d.toString('utf8');
      const lines = data.split('\r\n');
      // A bulk reply (`$5`) is complete with its value line; others with their first line.
      if (lines.length > 2 || (lines.length === 2 && !lines[0]!.startsWith('$'))) {
        s.end();
        resolve(lines[0]!.startsWith('$') && lines[0] !== '$-1' ? lines[1]! : lines[0]!);
      }
    });
    s.on('error', reject);
  });
}

/**
 * A project's own Postgres service `db` on the volume `dbdata`, healthy once it takes connections (YAML lines under
 * `services:`); `env` adds to its environment, `ports` are its published ports.
 */
export function postgresService(opts: { env?: Record<string, string>; ports?: string[] } = {}): string {
  const env = Object.entries({ POSTGRES_PASSWORD: 'postgres', ...opts.env }).map(([k, v]) => `      ${k}: ${v}\n`);
  const ports = opts.ports?.length ? `    ports:\n${opts.ports.map((p) => `      - "${p}"\n`).join('')}` : '';
  return `  db:
    image: postgres:15-alpine
    environment:
${env.join('')}${ports}    volumes:
      - dbdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres -h 127.0.0.1"]
      interval: 1s
      timeout: 3s
      retries: 30
`;
}

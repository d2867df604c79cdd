import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { AxiError } from '../../shared/errors';
import { sshDestination } from '../../core/util/sshTarget';
import { SSH_BATCH_OPTIONS } from '../engine/sshDial';
import type { TunnelPlan } from './tunnel';

type SshPlan = Extract<TunnelPlan, { kind: 'ssh' }>;

/**
 * `ssh -N -L 127.0.0.1:P:HOST:P …` for every forward: the system's ssh with the endpoint's host, user and port
 * (its key and known hosts from the user's ssh config, as `docker --context` uses them). ExitOnForwardFailure:
 * a port taken since the check ends ssh instead of leaving a half tunnel; ServerAlive: a dead link is noticed.
 */
export function tunnelArgs(plan: SshPlan): string[] {
  return [
    ...SSH_BATCH_OPTIONS,
    ...['-N', '-T', '-o', 'ExitOnForwardFailure=yes', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3'],
    ...plan.forwards.flatMap((f) => ['-L', `127.0.0.1:${f.port}:${plan.remoteHost}:${f.port}`]),
    ...sshDestination(plan.target),
  ];
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    // A connect that neither succeeds nor fails (a full accept queue drops the SYN) must not hold the
    // opening past its deadline: asked again on the next round.
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });

export interface OpenTunnel {
  readonly child: ChildProcess;
  /** Resolves when ssh ends: `closed` after close(), else with the reason in one line. */
  readonly ended: Promise<{ closed: boolean; reason: string }>;
  /** Ends ssh (SIGTERM) and waits for it. */
  close(): Promise<void>;
}

/** The reason ssh gave, one line: its last stderr line (bind failures, auth, host unreachable). */
function sshReason(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const last = stderr.trim().split('\n').filter(Boolean).pop();
  return last ?? (signal ? `ssh ended by ${signal}` : `ssh exited ${code}`);
}

/**
 * Starts the tunnel and resolves once every forward listens here (ssh binds them after authenticating);
 * rejects with ssh's reason when it ends first or `timeoutMs` passes.
 */
export async function openTunnel(
  plan: SshPlan,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<OpenTunnel> {
  const child = spawn('ssh', tunnelArgs(plan), { env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let closing = false;
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
  const ended = new Promise<{ closed: boolean; reason: string }>((resolve) => {
    child.once('error', (err) => resolve({ closed: closing, reason: `cannot run ssh: ${err.message}` }));
    child.once('exit', (code, signal) => resolve({ closed: closing, reason: sshReason(stderr, code, signal) }));
  });
  const tunnel: OpenTunnel = {
    child,
    ended,
    close: async () => {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await ended;
    },
  };
  let done = false;
  void ended.then(() => (done = true));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (done) {
      const { reason } = await ended;
      const port = /bind.*?:(\d+): Address already in use/.exec(reason)?.[1];
      throw new AxiError(
        port ? 'PORT_CONFLICT' : 'DOCKER',
        port
          ? `local port ${port} of ${plan.name} was taken before the tunnel opened (${reason})`
          : `the tunnel to ${plan.endpoint} did not open: ${reason}`,
      );
    }
    if ((await Promise.all(plan.forwards.map((f) => listening(f.port)))).every(Boolean)) return tunnel;
    if (Date.now() > deadline) {
      await tunnel.close();
      throw new AxiError(
        'DOCKER',
        `the tunnel to ${plan.endpoint} did not open within ${(opts.timeoutMs ?? 30_000) / 1000} s`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

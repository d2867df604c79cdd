import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { lastLines } from './logs';
import { listComposeContainers, type ContainerStatus } from '../status/status';
import { PROJECT_LABEL } from '../../core/project/naming';

type Verdict = { done: true } | { done: false; waitingFor: string[] } | { failed: ContainerStatus; why: string };

export function healthVerdict(containers: readonly ContainerStatus[]): Verdict {
  if (!containers.length) return { done: false, waitingFor: ['containers'] };
  const waitingFor: string[] = [];
  for (const c of containers) {
    if (c.state === 'exited' || c.state === 'dead') return { failed: c, why: `exited` };
    if (c.health === 'unhealthy') return { failed: c, why: 'is unhealthy' };
    if (c.state !== 'running' || c.health === 'starting') waitingFor.push(c.service);
  }
  return waitingFor.length ? { done: false, waitingFor } : { done: true };
}

/**
 * Compose v1 has no `up --wait`: this is ours. Woken by the engine's events
 * for the project (health_status, die, start); a slow fallback re-check
 * covers an event lost in a reconnect.
 */
export async function waitHealthy(
  docker: Dockerode,
  project: string,
  opts: { timeoutMs: number; onWaiting?: (services: string[]) => void },
): Promise<void> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], label: [`${PROJECT_LABEL}=${project}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  try {
    await new Promise<void>((resolve, reject) => {
      let checking = false;
      let again = false;
      let settled = false;
      let last: Verdict = { done: false, waitingFor: [] };
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(fallback);
        if (err) reject(err);
        else resolve();
      };
      const check = async (): Promise<void> => {
        if (checking) return void (again = true);
        checking = true;
        try {
          do {
            again = false;
            const mine = (await listComposeContainers(docker)).filter((c) => c.project === project);
            const before = 'waitingFor' in last ? last.waitingFor.join() : '';
            last = healthVerdict(mine);
            // Said once per change, for the window's progress line and the CLI.
            if ('waitingFor' in last && last.waitingFor.join() !== before && mine.length)
              opts.onWaiting?.(last.waitingFor);
            if ('failed' in last) {
              const tail = await lastLines(docker, last.failed.id, 8);
              return settle(
                new AxiError(
                  'DOCKER',
                  `service ${last.failed.service} of ${project} ${last.why}; last log lines: ${tail.slice(-5).join(' | ') || '(none)'}`,
                ),
              );
            }
            if (last.done) return settle();
          } while (again && !settled);
        } catch (err) {
          settle(err as Error);
        } finally {
          checking = false;
        }
      };
      const timer = setTimeout(() => {
        const waiting = 'waitingFor' in last ? last.waitingFor.join(', ') : '';
        settle(
          new AxiError(
            'DOCKER',
            `${project} not healthy after ${Math.round(opts.timeoutMs / 1000)} s; still waiting for ${waiting || 'containers'}`,
          ),
        );
      }, opts.timeoutMs);
      const fallback = setInterval(() => void check(), 2000);
      stream.on('data', () => void check());
      void check();
    });
  } finally {
    stream.destroy();
  }
}

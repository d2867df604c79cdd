import { AxiError } from '../../shared/errors';
import type { InstanceRecord } from '../../core/registry/record';
import { followLogs } from '../compose/logs';
import {
  cloneData,
  dataSource,
  planCloneData,
  type CloneDataOptions,
  type CloneDataPlan,
  type CloneDataResult,
} from '../data/dataCopy';
import { LifecycleSnapshots } from './snapshotReset';

/**
 * Start, stop, reset, restore and observe instances on a real engine. Up and
 * down go through the Compose CLI (the seed's smart file choice); everything
 * read or snapshotted goes through the engine API.
 */
export class InstanceLifecycle extends LifecycleSnapshots {
  /** What a copy would do, without doing it (see dataCopy.ts). */
  planCloneData(source: string, target: string): Promise<CloneDataPlan> {
    return planCloneData(this, source, target);
  }

  /** SOURCE as the user named it: an instance, a folder, or `main` (see dataCopy.ts); scopes check it. */
  dataSource(source: string, target: InstanceRecord): Promise<InstanceRecord> {
    return dataSource(this, source, target);
  }

  /** Copies SOURCE's volumes into TARGET's, verified, after a snapshot of TARGET's (see dataCopy.ts). */
  cloneData(source: string, target: string, opts: CloneDataOptions = {}): Promise<CloneDataResult> {
    return cloneData(this, source, target, opts);
  }

  /** Follows or prints the logs of an instance's containers (one service, or all). */
  async logs(
    nameOrDir: string,
    opts: {
      service?: string;
      follow?: boolean;
      tail?: number;
      timestamps?: boolean;
      onLine: (line: string, service: string, time?: string) => void;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    const own = await this.containers(docker, rec);
    const containers = own.filter((c) => !opts.service || c.service === opts.service);
    if (!containers.length) {
      const who = await this.service.label(rec);
      if (opts.service && own.length) {
        const names = [...new Set(own.map((c) => c.service))].sort().join(', ');
        throw new AxiError(
          'NOT_FOUND',
          `${who} has no service ${JSON.stringify(opts.service)}; its services: ${names}`,
        );
      }
      const reason = opts.service ? `${who} has no container for service ${opts.service}` : `${who} has no containers`;
      throw new AxiError('NOT_FOUND', `${reason}; start it with axi up ${who}`, {
        reason,
        fix: { action: 'start', target: who },
      });
    }
    await Promise.all(
      containers.map((c) =>
        followLogs(docker, c.id, {
          follow: Boolean(opts.follow),
          tail: opts.tail ?? 100,
          timestamps: opts.timestamps,
          signal: opts.signal,
          onLine: (l: string, time?: string) => opts.onLine(l, c.service, time),
        }),
      ),
    );
  }
}

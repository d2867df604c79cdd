import { instanceEngineState, remoteEngineNotes } from '../../shared/display/engineStates';
import { holderWords } from '../../shared/display/instanceDisplay';
import type { ConflictView, InstanceView, NotificationView, Overview } from '../../shared/api/table';

/** Who holds a conflicting port, in words. */
export function conflictText(c: ConflictView): string {
  if (c.kind === 'registry') return `Port ${c.port} is registered to ${c.instances.join(' and ')}`;
  const what = c.range ? `of ${c.service} (range ${c.range})` : `(${c.service})`;
  return `Port ${c.port} ${what} of ${c.instances[0]} is in use by ${holderWords(c)}`;
}

const conflictKey = (c: ConflictView) => `${c.kind}:${c.port}:${c.instances.join(',')}`;

function allHealthy(i: InstanceView): boolean {
  const services = Object.values(i.services);
  return (
    i.status === 'running' &&
    services.length > 0 &&
    services.every((s) => s.health === 'healthy' || s.health === 'none')
  );
}

/** What "ready" means for this instance: "healthy" only where a health check said so. */
export function readyBody(i: InstanceView): string {
  const services = Object.values(i.services);
  const checked = services.filter((s) => s.health === 'healthy').length;
  if (checked === services.length) return `All services of ${i.label} are running and healthy.`;
  if (checked === 0) return `All services of ${i.label} are running (none has a health check).`;
  return `All services of ${i.label} are running; the ${checked} with a health check are healthy.`;
}

function failure(prev: InstanceView, next: InstanceView): string | undefined {
  if (next.busy || prev.busy) return undefined; // our own stop/reset is not a failure
  for (const [service, s] of Object.entries(next.services)) {
    const before = prev.services[service];
    if (s.health === 'unhealthy' && before?.health !== 'unhealthy') return `${service} is unhealthy`;
    // A stop somebody asked for (the CLI, a policy's removal, Compose, another program) is not a failure.
    if (before?.state === 'running' && (s.state === 'exited' || s.state === 'dead') && !s.stopAsked)
      return `${service} stopped unexpectedly`;
  }
  return undefined;
}

/**
 * Which OS notifications a change deserves: new port conflicts, an instance
 * that became healthy or failed, the engine lost or back. A pure function of
 * two overviews, so the rules are tested without Electron.
 */
export function notificationsFor(prev: Overview | undefined, next: Overview): NotificationView[] {
  const out: NotificationView[] = [];
  const seen = new Set((prev?.conflicts ?? []).map(conflictKey));
  for (const c of next.conflicts) {
    if (seen.has(conflictKey(c))) continue;
    out.push({ kind: 'conflict', title: 'Port conflict', body: conflictText(c), instance: c.instances[0] ?? null });
  }
  if (!prev) return out;
  if (prev.engine === 'connected' && next.engine === 'unknown') {
    out.push({
      kind: 'engine-lost',
      title: next.engines?.length ? 'Local Docker engine lost' : 'Docker engine lost',
      body: 'Instance status is unknown until the engine answers again.',
      instance: null,
    });
  }
  if (prev.engine === 'unknown' && next.engine === 'connected') {
    out.push({
      kind: 'engine-back',
      title: 'Docker engine is back',
      body: 'Instance status is live again.',
      instance: null,
    });
  }
  out.push(...remoteEngineNotes(prev, next));
  const before = new Map(prev.instances.map((i) => [i.id, i]));
  for (const i of next.instances) {
    const p = before.get(i.id);
    if (!p) continue;
    // Only what its own engine saw both times: a lost engine's instances neither fail nor become ready.
    if (instanceEngineState(next, i) !== 'connected' || instanceEngineState(prev, p) !== 'connected') continue;
    // Our own copy paused it: neither a failure nor a fresh "ready" (nobody started it).
    if (i.copyPause || p.copyPause) continue;
    // Put to sleep: told only where its repository asked (`idle: { notify: true }`); never a failure.
    if (i.status === 'asleep' || p.status === 'asleep') {
      if (i.status === 'asleep' && p.status !== 'asleep' && i.asleep?.notify)
        out.push({
          kind: 'asleep',
          title: `${i.label} is asleep`,
          body: `${i.asleep.why}. Its first request wakes it.`,
          instance: i.label,
        });
      continue;
    }
    if (allHealthy(i) && !allHealthy(p)) {
      out.push({
        kind: 'healthy',
        title: `${i.label} is ready`,
        body: readyBody(i),
        instance: i.label,
      });
      continue;
    }
    const why = failure(p, i);
    if (why) out.push({ kind: 'failed', title: `${i.label} failed`, body: why, instance: i.label });
  }
  return out;
}

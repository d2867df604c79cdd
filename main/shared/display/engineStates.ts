import { engineLabel } from './engine';
import type { EngineState, InstanceView, NotificationView, Overview } from '../api/table';

/** Pure (the window and the tray use it too): which engine state an instance's card reads. */

/** The state of the engine `instance` lives on: its own for a remote one, else the local engine's. */
export function instanceEngineState(o: Pick<Overview, 'engine' | 'engines'>, i: InstanceView): EngineState {
  if (!i.engine) return o.engine;
  return i.engineState ?? o.engines?.find((e) => e.id === i.engine)?.state ?? 'connecting';
}

/** The remote engines that are lost, with how many instances each one holds (the banner and the tray name them). */
export function lostEngines(
  o: Pick<Overview, 'engines' | 'instances'>,
): { id: string; label: string; count: number }[] {
  return (o.engines ?? [])
    .filter((e) => e.state === 'unknown')
    .map((e) => ({ id: e.id, label: e.label, count: o.instances.filter((i) => i.engine === e.id).length }));
}

const instancesText = (n: number) => `${n === 1 ? 'its instance is' : `its ${n} instances are`}`;

/** The engine-lost / engine-back notifications for remote engines whose state changed between two overviews. */
export function remoteEngineNotes(prev: Overview, next: Overview): NotificationView[] {
  const before = new Map((prev.engines ?? []).map((e) => [e.id, e.state]));
  const out: NotificationView[] = [];
  for (const e of next.engines ?? []) {
    const was = before.get(e.id);
    const count = next.instances.filter((i) => i.engine === e.id).length;
    const label = e.label || engineLabel(e.id);
    if (was === 'connected' && e.state === 'unknown')
      out.push({
        kind: 'engine-lost',
        title: `Docker engine ${label} lost`,
        body: `Only ${instancesText(count)} unknown until ${label} answers again; local instances are not affected.`,
        instance: null,
      });
    if (was === 'unknown' && e.state === 'connected')
      out.push({
        kind: 'engine-back',
        title: `Docker engine ${label} is back`,
        body: `The status of the instances on ${label} is live again.`,
        instance: null,
      });
  }
  return out;
}

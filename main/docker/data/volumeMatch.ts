import path from 'node:path';
import type Dockerode from 'dockerode';
import { instanceVolumes, type ModelVolume } from '../../core/compose/instanceVolumes';
import type { Doc } from '../../core/compose/doc';
import { parsedYamlFile } from '../compose/parsedFile';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';
import { ownedByOther } from '../../core/project/naming';
import type { InstanceRecord } from '../../core/registry/record';
import { engineLabel } from '../../shared/display/engine';
import type { LifecycleSnapshots } from '../lifecycle/snapshotReset';
import { pairVolumes, projectVolumes, type InstanceVolume, type VolumePair } from './cloneData';

/** An instance's volumes: those its file makes (keyed as they match across instances), and those the engine has. */
export interface KeyedVolumes {
  model: ModelVolume[];
  present: InstanceVolume[];
}

/** The instance file's volumes; undefined when it cannot be read (then the engine's labels are all there is). */
async function modelOf(rec: InstanceRecord): Promise<ModelVolume[] | undefined> {
  try {
    const doc = (await parsedYamlFile(path.join(rec.folder, COMPOSE_FILE))) as Doc;
    return instanceVolumes(doc, rec.project, rec.source === 'compose');
  } catch {
    return undefined;
  }
}

/**
 * REC's volumes matched by the key our own file gives them (any `prefix:`, any Compose version), and which of
 * them the engine has now. Without a readable file, the engine's Compose labels decide, as before.
 */
export async function keyedVolumes(docker: Dockerode, rec: InstanceRecord): Promise<KeyedVolumes> {
  // Asked before the file is parsed: the list is a round trip, the parse is this process's work, done meanwhile.
  const listed = docker.listVolumes();
  listed.catch(() => undefined);
  const model = await modelOf(rec);
  if (!model) {
    const present = await projectVolumes(docker, rec.project);
    return { model: present, present };
  }
  const { Volumes } = await listed;
  const there = new Set((Volumes ?? []).filter((v) => !ownedByOther(v.Labels)).map((v) => v.Name));
  return { model, present: model.filter((v) => there.has(v.name)) };
}

export interface VolumePlan {
  pairs: VolumePair[];
  unmatched: string[];
  source: KeyedVolumes;
  target: KeyedVolumes;
  /** Why nothing can be copied, with the next step (set when `pairs` is empty). */
  reason?: string;
}

const keys = (vs: readonly ModelVolume[]) => [...new Set(vs.map((v) => v.key))].join(', ');

/**
 * SOURCE's volumes that exist, paired with TARGET's as its file makes them (TARGET's may not exist yet): decided
 * before anything is created, so a copy that cannot happen changes nothing.
 */
export async function volumePlan(
  lc: LifecycleSnapshots,
  engines: { from: Dockerode; to: Dockerode },
  src: InstanceRecord,
  tgt: InstanceRecord,
): Promise<VolumePlan> {
  const [source, target] = await Promise.all([keyedVolumes(engines.from, src), keyedVolumes(engines.to, tgt)]);
  const plan = { source, target, ...pairVolumes(source.present, target.model) };
  if (plan.pairs.length) return plan;
  const [s, t] = [await lc.service.label(src), await lc.service.label(tgt)];
  if (!source.model.length)
    return { ...plan, reason: `${s}'s stack has no named volumes, so there is no data to copy into ${t}` };
  if (!source.present.length) {
    const running = (await lc.containers(engines.from, src)).some((c) => c.state === 'running');
    const names = source.model.map((v) => v.name).join(', ');
    const where = src.engine ? ` on engine ${engineLabel(src.engine)}` : '';
    return {
      ...plan,
      reason: running
        ? `${s} is running, but none of the volumes its instance file names (${names}) exist${where}: the file changed since it started; run axi up ${s} so Compose creates them, then copy again`
        : `${s} has no data yet: none of its volumes (${names}) exist${where}; start it once (axi up ${s}) so Compose creates them, then copy again`,
    };
  }
  return {
    ...plan,
    reason: `none of ${s}'s volumes (${keys(source.present)}) has a counterpart in ${t}'s stack (${keys(target.model) || 'no named volumes'}): the two are set up from different stacks; register ${t} again from ${s}'s stack (axi remove ${t}, then axi setup on its folder)`,
  };
}

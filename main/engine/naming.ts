import type { Preset } from './preset';

/** Docker names of one instance. Main checkout: `aegisx_postgres`; instance: `aegisx_auth_fix_postgres`. */
export interface InstanceNames {
  readonly project: string;
  readonly network: string;
  readonly containers: Record<string, string>;
  readonly volumes: Record<string, string>;
}

/** Label put on everything we create, so cleanup and status find our containers without guessing from names. */
export const INSTANCE_LABEL = 'dev.aegisx-instances.instance';
/** Which axi namespace (the engine's prefix, `AXI_PREFIX`) made it: cleanup and doctor only touch their own. */
export const NAMESPACE_LABEL = 'dev.aegisx-instances.namespace';

export function projectName(preset: Preset, inst: { name: string; main: boolean }): string {
  return inst.main ? preset.prefix : `${preset.prefix}_${inst.name}`;
}

export function instanceNames(preset: Preset, inst: { name: string; main: boolean }): InstanceNames {
  const stem = inst.main ? preset.prefix : `${preset.prefix}_${inst.name}`;
  const volumeStem = inst.main ? preset.prefix : inst.name;
  const containers: Record<string, string> = {};
  const volumes: Record<string, string> = {};
  for (const s of preset.services) {
    containers[s.name] = `${stem}_${s.name}`;
    if (s.volume) volumes[s.name] = `${volumeStem}_${s.name}_data`;
  }
  return { project: projectName(preset, inst), network: `${stem}_net`, containers, volumes };
}

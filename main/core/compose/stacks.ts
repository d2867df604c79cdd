import path from 'node:path';
import { existsSync } from 'node:fs';
import { composeFile, envFile, genericEnvFile } from '../instances/setup/generator';
import { instanceNames, projectName } from '../project/naming';
import type { Preset } from '../project/preset';
import { loadRepoConfig } from '../project/repoConfig';
import type { Stack, StackRequest } from './stackTypes';
import { originHeader, portEnvNames, readOrigin } from './stackNames';
import { composeStack } from './composeStack';

/**
 * Decides the stack: `--from` / `--template` on the command line, else the
 * repository's `.aegisx-instances.yml`, else what the registration recorded,
 * else the built-in AegisX stack.
 */
export async function resolveStack(req: StackRequest, enginePreset: Preset): Promise<Stack> {
  const { config } = await loadRepoConfig(req.configFolder ?? req.folder);
  const rec = req.recorded;
  // Without a registration, the instance file's own header says what it was made from (re-adoption).
  const origin =
    rec || req.from || req.template || config.source !== 'aegisx' ? undefined : await readOrigin(req.folder);
  const from =
    req.from ??
    (config.source === 'compose' ? [config.from ?? []].flat() : undefined) ??
    (!req.template && rec?.from ? rec.from : undefined) ??
    (origin?.source === 'compose' && origin.from?.length ? origin.from : undefined);
  const slotCount = config.slots ?? enginePreset.slotCount;
  if (from?.length)
    return {
      ...(await composeStack(
        req,
        from,
        config,
        slotCount,
        enginePreset.prefix,
        req.prefix ?? origin?.prefix ?? rec?.prefix,
      )),
      bind: config.bind,
    };

  // `--template aegisx` names the built-in stack (unless the repository has its own templates/aegisx.yml).
  const builtIn =
    req.template === '' || (req.template === 'aegisx' && !existsSync(path.join(req.folder, 'templates', 'aegisx.yml')));
  const template = builtIn
    ? null
    : (req.template ?? (config.source === 'template' ? config.template : undefined) ?? rec?.template ?? null);
  const custom = config.services
    ? Object.entries(config.services).map(([name, s]) => ({ name, base: s.base, offset: s.offset, volume: false }))
    : undefined;
  const preset: Preset = {
    ...enginePreset,
    prefix: config.prefix ?? enginePreset.prefix,
    namespace: enginePreset.prefix,
    slotCount,
    services: custom ?? enginePreset.services,
  };
  return {
    kind: template ? 'template' : 'aegisx',
    preset,
    template,
    from: null,
    bind: config.bind,
    project: (name, main, _folder, owner) => projectName(preset, { name, main, owner }),
    async render(r, now) {
      const names = instanceNames(preset, r);
      const made = await composeFile(r, preset, now, enginePreset.prefix);
      const compose = { ...made, header: [...made.header, originHeader(r)] };
      const env = custom
        ? genericEnvFile(r, portEnvNames(Object.keys(r.ports), config.env), now)
        : envFile(r, names, now);
      return { files: [env, compose], services: compose.services, volumes: Object.values(names.volumes) };
    },
  };
}

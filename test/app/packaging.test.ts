import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers';

// The copies electron-builder itself loads: its app-builder-lib, and that one's @electron/fuses.
const builderDir = path.dirname(require.resolve('electron-builder/package.json', { paths: [ROOT] }));
const libDir = path.dirname(require.resolve('app-builder-lib/package.json', { paths: [builderDir] }));
const fusesDir = path.dirname(require.resolve('@electron/fuses/package.json', { paths: [libDir] }));

type Config = Record<string, unknown> & { electronFuses?: Record<string, unknown> };
// Loaded by absolute path from electron-builder's own tree, not as this project's dependency.
const load = createRequire(path.join(ROOT, 'package.json'));
const { validateConfiguration } = load(path.join(libDir, 'out', 'util', 'config', 'config.js')) as {
  validateConfiguration(
    this: void,
    config: Config,
    debug: { isEnabled: boolean; add(k: string, v: unknown): void },
  ): Promise<void>;
};
const { FuseV1Options } = load(fusesDir) as { FuseV1Options: Record<string, number | string> };
const scheme = JSON.parse(readFileSync(path.join(libDir, 'scheme.json'), 'utf8')) as {
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

/** electron-builder's own check of a configuration (scheme.json through ajv); it coerces in place, hence the copy. */
const validate = (config: Config) =>
  validateConfiguration(structuredClone(config), { isEnabled: false, add: () => undefined });

const config = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

describe('packaging: Electron fuses', () => {
  test('the hardening fuses are set, each to a real boolean', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  test("every fuse key is one electron-builder's schema knows and one @electron/fuses can flip", () => {
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const key of Object.keys(config.electronFuses ?? {})) {
      assert.ok(
        known.includes(key),
        `electronFuses.${key} is not in app-builder-lib's scheme.json (${known.join(', ')})`,
      );
      const fuse = key[0]!.toUpperCase() + key.slice(1);
      assert.equal(typeof FuseV1Options[fuse], 'number', `no FuseV1Options.${fuse} in @electron/fuses`);
    }
  });

  test('electron-builder accepts the whole file, and would refuse a misspelt key', async () => {
    await validate(config);
    const fuses = config.electronFuses!;
    await assert.rejects(validate({ ...config, electronFuses: { ...fuses, runAsnode: false } }), /electronFuses/);
    await assert.rejects(
      validate({ ...config, electronFuses: { ...fuses, runAsNode: 'no' } }),
      /electronFuses\.runAsNode should be a boolean/,
    );
    const { electronFuses, ...rest } = config;
    await assert.rejects(validate({ ...rest, electronFuse: electronFuses }), /unknown property 'electronFuse'/);
  });
});

import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers';

/**
 * A copy of the built CLI (bin/axi.js, the bundles it loads, the two packages it requires at run time and
 * package.json for its version) in a world-readable temporary folder, so another user can run it wherever the
 * clone sits (a 0700 home, a `mktemp -d`).
 */
export function portableCli(): { bin: string; dir: string; cleanup(): void } {
  const parent = existsSync('/tmp') ? '/tmp' : os.tmpdir(); // TMPDIR may itself sit in a private folder
  const dir = mkdtempSync(path.join(parent, 'axi-cli-'));
  const copy = (rel: string) =>
    cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true, dereference: true });
  for (const rel of ['package.json', 'bin/axi.js', 'dist/axi.cjs', 'dist/codeCache.cjs', 'dist/dockerode.cjs'])
    copy(rel);
  for (const pkg of ['yaml', 'jsonc-parser']) copy(path.join('node_modules', pkg));
  chmodSync(dir, 0o755);
  return { bin: path.join(dir, 'bin', 'axi.js'), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

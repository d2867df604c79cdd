#!/usr/bin/env node
// The fast build for `npm run test:unit`: esbuild turns every main/ and test/ TypeScript file into the same
// dist/ layout `tsc -p tsconfig.json` writes (CommonJS, one file per source), in about a second instead of tsc's
// ten or more. It does not check types: `npm run typecheck` does, and `npm run build` stays the real build.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files tsconfig.json compiles: main/**, test/** (.ts, no declarations). */
function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

await build({
  entryPoints: ['main', 'test'].flatMap((d) => sources(path.join(root, d))),
  outbase: root,
  outdir: path.join(root, 'dist'),
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
// Its files replace tsc's: the next `npm run build` must write them all again, not trust tsc's incremental record.
rmSync(path.join(root, 'dist', '.tsbuildinfo'), { force: true });

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/** The share of runs that write the cache again (each costs a few ms as the process ends). */
const REFRESH_SHARE = 1 / 16;

/**
 * Node 20 has no module compile cache, and compiling a bundle is a good part of a short command's
 * start-up (the CLI's, dockerode's, the MCP SDK's zod schemas): V8's code cache for the file, kept in
 * the temp folder per file, size, mtime and Node version. Any problem with the cache only means
 * compiling as usual. Built on its own as `dist/codeCache.cjs` for bin/axi.js. A script run this way has no
 * loader for `import()`: the bundles it loads are built with `--supported:dynamic-import=false`.
 */
export function requireWithCodeCache(file: string, variant = ''): unknown {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  const key = fnv1a(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}\0${variant}`);
  const cacheFile = path.join(os.tmpdir(), `axi-code-cache-${process.getuid?.() ?? 'u'}`, `${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    if (ownPrivateFolder(path.dirname(cacheFile))) cachedData = readFileSync(cacheFile);
  } catch {
    // first run: none yet
  }
  const script = new Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  // Written as the process ends, not now: by then V8 has compiled the functions this command ran (most of
  // a bundle's functions are compiled lazily, on first call), and the cache holds them too. A cache per
  // `variant` (the command): each one's next run starts with its own functions compiled.
  // Written again now and then: V8 adds the functions this run compiled, so the cache grows to cover the paths
  // the user's commands take (a first `list` with no remote engine would otherwise leave that path out for good).
  if (!cachedData || script.cachedDataRejected || Math.random() < REFRESH_SHARE)
    process.once('exit', () => writeCache(script, cacheFile));
  return module.exports;
}

function writeCache(script: Script, cacheFile: string): void {
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    if (!ownPrivateFolder(path.dirname(cacheFile))) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only temp folder: no cache, nothing else changes
  }
}

/** Code cache is trusted input to V8: only from a folder this user owns and no one else can write to. */
function ownPrivateFolder(dir: string): boolean {
  const st = statSync(dir);
  return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
}

/**
 * A cache key, not a secret (the folder is private to this user): FNV-1a, 2 x 32 bits, instead of
 * loading node:crypto, which alone costs a short command ~7 ms.
 */
function fnv1a(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (a >>> 7), 0x01000193) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

export type McpSdk = typeof import('./sdkEntry');

/**
 * The SDK: the pre-bundled `dist/mcpSdk.cjs` next to the CLI bundle, else (tsc's output, tests)
 * `sdkEntry` from node_modules. A computed path, so the CLI bundle never inlines the SDK.
 */
export function loadSdk(): McpSdk {
  const bundled = path.join(__dirname, 'mcpSdk.cjs');
  if (existsSync(bundled)) return requireWithCodeCache(bundled) as McpSdk;
  return createRequire(__filename)(path.join(__dirname, 'sdkEntry')) as McpSdk;
}

/**
 * Node 20 has no module compile cache, and compiling the SDK's zod schemas is a good part of
 * `axi mcp`'s start-up: V8's code cache for the file, kept in the temp folder per file, size,
 * mtime and Node version. Any problem with the cache only means compiling as usual.
 */
function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  const key = createHash('sha256')
    .update(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`)
    .digest('hex')
    .slice(0, 32);
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
  if (!cachedData || script.cachedDataRejected) {
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
      if (!ownPrivateFolder(path.dirname(cacheFile))) return module.exports;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only temp folder: no cache, nothing else changes
    }
  }
  return module.exports;
}

/** Code cache is trusted input to V8: only from a folder this user owns and no one else can write to. */
function ownPrivateFolder(dir: string): boolean {
  const st = statSync(dir);
  return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
}

import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createRequire, wrap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/** The share of runs that write the cache again (each costs a few ms as the process ends). */
const REFRESH_SHARE = 1 / 16;
/** No bundle's cache comes near this; a larger file is not read. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Node 20 has no module compile cache, and compiling a bundle is a good part of a short command's
 * start-up (the CLI's, dockerode's, the MCP SDK's zod schemas): V8's code cache for the file, kept per
 * file, size, mtime and Node version. Any problem with the cache only means compiling as usual. Built
 * on its own as `dist/codeCache.cjs` for bin/axi.js. A script run this way has no loader for `import()`:
 * the bundles it loads are built with `--supported:dynamic-import=false`.
 *
 * V8 runs a cache's code when only the source's length matches, so a cache is code: it is read only
 * from folders this user created and owns (see `cacheFolders`), never through a symlink, and only from
 * a file this user owns that no one else can write.
 */
export function requireWithCodeCache(file: string, variant = ''): unknown {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  const key = fnv1a(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}\0${variant}`);
  const folders = cacheFolders(process.env);
  const cacheFile = path.join(folders[1], `${key}.bin`);
  const cachedData = privateFolders(folders) ? readOwnFile(cacheFile) : undefined;
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
    process.once('exit', () => writeOwnFile(folders, cacheFile, () => script.createCachedData()));
  return module.exports;
}

/**
 * The folders axi makes for the cache, outermost first, under a base the user chose:
 * `$XDG_CACHE_HOME/aegisx-instances/code-cache`, else `$AXI_HOME/code-cache` (default `~/.aegisx`).
 * Never the shared temp folder, where another user can plant the path first.
 */
export function cacheFolders(env: NodeJS.ProcessEnv): [string, string] {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) {
    const own = path.join(xdg, 'aegisx-instances');
    return [own, path.join(own, 'code-cache')];
  }
  const home = path.resolve(env.AXI_HOME || path.join(os.homedir(), '.aegisx'));
  return [home, path.join(home, 'code-cache')];
}

/** Each folder is a real folder (lstat: not a symlink), this user's, and no one else can write to it. */
export function privateFolders(folders: string[]): boolean {
  try {
    return folders.every((dir) => {
      const st = lstatSync(dir);
      return st.isDirectory() && ownedByMe(st.uid) && (st.mode & 0o022) === 0;
    });
  } catch {
    return false; // first run: none yet
  }
}

/** The file itself, not a symlink (O_NOFOLLOW), then checked on the open descriptor (no swap in between). */
export function readOwnFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !ownedByMe(st.uid) || (st.mode & 0o077) !== 0 || st.size > MAX_CACHE_BYTES) return undefined; // ignored: the next write replaces it by rename
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** `cacheFile` in the last of `folders` (made private first), written whole then renamed in; any failure: no cache. */
export function writeOwnFile(folders: [string, string], cacheFile: string, content: () => Buffer): void {
  try {
    // The base the user chose may be missing (a fresh ~/.cache); each folder of ours inside it is made one at a
    // time and checked before anything is made inside it (a planted symlink is never followed).
    mkdirSync(path.dirname(folders[0]), { recursive: true, mode: 0o700 });
    for (let i = 0; i < folders.length; i++) {
      try {
        mkdirSync(folders[i] as string, { mode: 0o700 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (!privateFolders(folders.slice(0, i + 1))) return; // someone else's folder or a symlink: never theirs
    }
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    // O_EXCL: a fresh file of ours, never one planted (nor a symlink) at the temp name.
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      const data = content();
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, cacheFile);
    } catch {
      unlinkSync(tmp);
    }
  } catch {
    // a read-only cache folder: no cache, nothing else changes
  }
}

function ownedByMe(uid: number): boolean {
  return process.getuid === undefined || uid === process.getuid();
}

/**
 * A cache key, not a secret (the folder is private to this user): FNV-1a, 2 x 32 bits, instead of
 * loading node:crypto, which alone costs a short command ~7 ms.
 */
export function fnv1a(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (a >>> 7), 0x01000193) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

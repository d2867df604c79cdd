import type { Stats } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { atomicWrite, privateHome } from './atomicWrite';
import { AxiError } from '../../shared/errors';
import { lockShared } from './fileLock';
import { instanceId, mirrorNames } from './instanceRef';
import type { AxiPaths } from './paths';
import { formatMirrorLine, parseMirror, type MirrorEntry, type UnreadableLine } from './portRegistryMirror';
import { InstanceRecordSchema, type InstanceRecord } from './record';

const RegistryFileSchema = v.object({
  version: v.literal(1),
  instances: v.array(InstanceRecordSchema),
});

/** What a read-modify-write sees: our instances plus the seed scripts' lines we must respect. */
export interface RegistryState {
  instances: InstanceRecord[];
  /** Mirror lines naming instances we don't have: their ports are reserved. */
  foreign: MirrorEntry[];
  /** Mirror lines we can't parse (comments included): kept verbatim. */
  readonly otherLines: readonly string[];
  /** Of those, the ones that are not comments: reported with their line numbers, never silently ignored. */
  readonly unreadable: readonly UnreadableLine[];
}

/** The line axi writes for an instance: what tells its own lines from the scripts'. */
function mirrorLine(name: string, rec: InstanceRecord): string {
  return formatMirrorLine(name, rec.ports, new Date(rec.createdAt));
}

/** `text` position → `line L, column C` (1-based). */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

async function locateJsonError(text: string): Promise<string> {
  // Lazy: only a broken file pays for the parser that can say where it broke.
  const { parse, printParseErrorCode } = await import('jsonc-parser');
  const errors: import('jsonc-parser').ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'invalid JSON';
  return `${printParseErrorCode(first.error)} at ${lineColumn(text, first.offset)}`;
}

/** Which version of a file was read: a rename (our writes, write-file-atomic's) gives a new inode. */
function fileVersion(s: Stats): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

async function versionOf(file: string): Promise<string | null> {
  try {
    return fileVersion(await stat(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A file's parsed content, as long as the file is the version it was parsed from. */
class ParsedFileCache<T> {
  private version: string | null | undefined;
  private value: T | undefined;
  /** The version our last write left, or the last one `changedSinceSeen` reported. */
  private seen: string | null | undefined;

  constructor(private readonly file: string) {}

  /**
   * The parse of the file as it is now: the kept one when its inode, size and time are unchanged, or a
   * fresh read with `fresh` (a read-modify-write under the lock trusts no version key).
   */
  async get(parse: () => Promise<T>, fresh = false): Promise<T> {
    const version = await versionOf(this.file);
    if (fresh || version !== this.version || this.value === undefined) {
      this.value = await parse();
      this.version = version;
    }
    // A copy: read-modify-write callers change what they get.
    return structuredClone(this.value);
  }

  /** After our own write: what we wrote is what the file holds, unless someone appended in between (its size differs). */
  async wrote(value: T, bytes: number): Promise<void> {
    const s = await stat(this.file).catch(() => undefined);
    const ours = s !== undefined && s.size === bytes;
    this.version = ours ? fileVersion(s) : undefined;
    this.value = ours ? structuredClone(value) : undefined;
    this.seen = this.version;
  }

  /**
   * Whether the file is not what our last write left, nor what this last reported: each change another process
   * makes is reported once, whoever read the file meanwhile.
   */
  async changedSinceSeen(): Promise<boolean> {
    const version = await versionOf(this.file);
    const changed = version !== this.seen;
    this.seen = version;
    return changed;
  }
}

/**
 * `$AXI_HOME/instances.json`, shared by the app, the CLI and any number of
 * terminals. Reads are lock-free (writes are atomic renames); every
 * read-modify-write holds a cross-process lock that recovers from a crashed
 * holder after `staleMs`. A long-lived process (the app, `axi serve`) keeps
 * the last parse of each file and reads it again only once it changed: a
 * stat, not a read, for each of the many looks one action takes. A
 * read-modify-write reads both files afresh under the lock, whatever the stat says.
 */
export class InstanceRegistry {
  private readonly instancesFile: ParsedFileCache<InstanceRecord[]>;
  private readonly mirror: ParsedFileCache<ReturnType<typeof parseMirror>>;

  constructor(
    readonly paths: AxiPaths,
    private readonly staleMs = 10_000,
  ) {
    this.instancesFile = new ParsedFileCache(paths.registryFile);
    this.mirror = new ParsedFileCache(paths.mirrorFile);
  }

  /**
   * Whether another process changed the registry since this one last wrote it or was last told (a stat): the
   * file watcher's question, answered once per change.
   */
  async changedElsewhere(): Promise<boolean> {
    return this.instancesFile.changedSinceSeen();
  }

  /** The registrations (instances.json only: the seed's file is not needed for them). */
  async list(): Promise<InstanceRecord[]> {
    return this.instancesFile.get(() => this.readInstances());
  }

  async readState(fresh = false): Promise<RegistryState> {
    const [instances, mirror] = await Promise.all([
      this.instancesFile.get(() => this.readInstances(), fresh),
      this.mirror.get(() => this.readMirror(), fresh),
    ]);
    // Our lines are exactly what `write` writes (a name another repository also has is written `repo/name`). A
    // line of the same name in another shape, or with other ports, is the scripts': kept verbatim, never dropped.
    const names = mirrorNames(instances);
    const ours = new Set(instances.flatMap((i) => [i.mirrorLine, mirrorLine(names.get(instanceId(i))!, i)]));
    // A registration from before `mirrorLine` was recorded: its line is the one of its name and ports.
    const legacy = new Map(instances.filter((i) => !i.mirrorLine).map((i) => [names.get(instanceId(i))!, i]));
    const samePorts = (e: MirrorEntry, i: InstanceRecord | undefined) =>
      i !== undefined &&
      JSON.stringify(Object.entries(e.ports).sort()) === JSON.stringify(Object.entries(i.ports).sort());
    return {
      instances,
      foreign: mirror.entries.filter((e) => !ours.has(e.raw) && !samePorts(e, legacy.get(e.name))),
      otherLines: mirror.otherLines,
      unreadable: mirror.unreadable,
    };
  }

  /** Runs `fn` under the lock on a fresh read; writes back (JSON, then the mirror) when it returns. */
  async update<T>(fn: (state: RegistryState) => T | Promise<T>): Promise<T> {
    await privateHome(this.paths.home);
    const release = await this.lock();
    try {
      const state = await this.readState(true);
      const result = await fn(state);
      await this.write(state);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private lock(): Promise<() => Promise<void>> {
    const lockPath = path.join(this.paths.home, 'registry.lock');
    return lockShared({ dir: this.paths.home, lockPath, what: 'registry', staleMs: this.staleMs });
  }

  private async readInstances(): Promise<InstanceRecord[]> {
    const file = this.paths.registryFile;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AxiError('BAD_INPUT', `cannot read registry ${file}: ${(err as Error).message}`);
    }
    const repair = `it was left untouched: repair it, or move it aside (mv '${file}' '${file}.broken') to start a new one`;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new AxiError(
        'REGISTRY_CORRUPT',
        `registry ${file} is not valid JSON (${await locateJsonError(text)}); ${repair}`,
      );
    }
    const parsed = v.safeParse(RegistryFileSchema, data);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = v.getDotPath(issue) ?? '(top level)';
      throw new AxiError(
        'REGISTRY_CORRUPT',
        `registry ${file} is not an axi registry at ${where}: ${issue.message}; ${repair}`,
      );
    }
    return parsed.output.instances;
  }

  private async readMirror(): Promise<ReturnType<typeof parseMirror>> {
    try {
      return parseMirror(await readFile(this.paths.mirrorFile, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], otherLines: [], unreadable: [] };
      throw err;
    }
  }

  private async write(state: RegistryState): Promise<void> {
    const names = mirrorNames(state.instances);
    // The line written for each, recorded: only that line is ever axi's to rewrite or drop.
    for (const i of state.instances) i.mirrorLine = mirrorLine(names.get(instanceId(i))!, i);
    const body = JSON.stringify({ version: 1, instances: state.instances }, null, 2) + '\n';
    await atomicWrite(this.paths.registryFile, body, { private: true });
    // Kept as a read would give it (the schema drops what it does not know).
    const written = v.safeParse(RegistryFileSchema, JSON.parse(body));
    if (written.success) await this.instancesFile.wrote(written.output.instances, Buffer.byteLength(body));
    const lines = [
      ...state.instances.map((i) => i.mirrorLine!),
      ...state.foreign.map((e) => e.raw),
      ...state.otherLines,
    ];
    await mkdir(path.dirname(this.paths.mirrorFile), { recursive: true });
    const mirrorBody = lines.length ? lines.join('\n') + '\n' : '';
    await atomicWrite(this.paths.mirrorFile, mirrorBody, { private: true });
    await this.mirror.wrote(parseMirror(mirrorBody), Buffer.byteLength(mirrorBody));
  }
}

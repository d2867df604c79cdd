import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { cacheFolders, fnv1a, privateFolders, readOwnFile, writeOwnFile } from '../../core/util/codeCache';

/** The last parse of each file in this process, kept while its text stays the same. */
const parsed = new Map<string, { text: string; doc: unknown }>();

/**
 * A YAML file (a compose file) parsed once while its text is unchanged: a cold parse of an instance file is ~10 ms,
 * and clone-data reads two (the target's twice: its volumes, its images). The parse is kept in this process, and
 * on disk beside the code cache (same private folders and checks, see codeCache.ts) with the text it came from: a
 * cached parse is used only for exactly that text. Callers only read the result, never change it.
 */
export async function parsedYamlFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  const hit = parsed.get(file);
  if (hit?.text === text) return hit.doc;
  const folders = cacheFolders(env);
  const cacheFile = path.join(folders[1], `yaml-${fnv1a(file)}.json`);
  let doc = privateFolders(folders) ? fromCache(cacheFile, file, text) : undefined;
  if (doc === undefined) {
    const { parse } = await import('yaml');
    doc = parse(text) as unknown;
    const json = JSON.stringify({ file, text, doc });
    // Kept only where JSON holds the document exactly (a compose file's always does).
    if (isDeepStrictEqual((JSON.parse(json) as { doc: unknown }).doc, doc))
      writeOwnFile(folders, cacheFile, () => Buffer.from(json));
  }
  parsed.set(file, { text, doc });
  return doc;
}

function fromCache(cacheFile: string, file: string, text: string): unknown {
  const buf = readOwnFile(cacheFile);
  if (!buf) return undefined;
  try {
    const c = JSON.parse(buf.toString('utf8')) as { file?: unknown; text?: unknown; doc?: unknown } | null;
    return c?.file === file && c.text === text ? c.doc : undefined;
  } catch {
    return undefined;
  }
}

import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { portLinks, type PortFacts } from './portUrls';
import { AxiError } from '../../../shared/errors';
import { shellQuote } from '../../util/shellQuote';

export { shellQuote };
import { instanceId, scopeOf } from '../../registry/instanceRef';
import { ENV_FILE, splitGenerated } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';
import { verifiedRepository } from '../../project/repoIdentity';
import type { InstanceService } from '../service';

/**
 * "This checkout": the instance registered for the folder a command runs in, or for the nearest
 * folder above it (a subfolder of a checkout means that checkout). The CLI's commands without NAME
 * and `axi mcp`'s default scope both start here.
 */
export async function checkoutInstance(
  service: Pick<InstanceService, 'records'>,
  cwd: string = process.cwd(),
): Promise<InstanceRecord> {
  const start = await realpath(cwd).catch(() => path.resolve(cwd));
  const records = await service.records();
  for (let dir = start; ; dir = path.dirname(dir)) {
    const hit = records.find((r) => r.folder === dir);
    if (hit) return hit;
    if (path.dirname(dir) === dir) break;
  }
  const reason = `${start} is not inside a registered checkout (no instance is registered for it or a folder above it)`;
  throw new AxiError('NOT_FOUND', `${reason}; name an instance, or register this checkout with: axi setup`, {
    reason,
    fix: { action: 'setup', target: start },
  });
}

/** NAME when given (as the engine's calls take it: name, repo/name or folder), else this checkout's instance id. */
export async function refOrCheckout(
  service: Pick<InstanceService, 'records'>,
  name: string | undefined,
): Promise<string> {
  return name ?? instanceId(await checkoutInstance(service));
}

/** NAME when given, else this checkout's instance. */
export function instanceOrCheckout(service: InstanceService, name: string | undefined): Promise<InstanceRecord> {
  return name === undefined ? checkoutInstance(service) : service.find(name);
}

/**
 * Which repository a registration belongs to (what `axi mcp`'s scope is limited to): its common git
 * folder, shared by a checkout and all its worktrees, as both sides of git's link agree (see
 * verifiedRepository); outside git, its scope and base name.
 */
export async function repositoryKey(rec: InstanceRecord): Promise<string> {
  return (await verifiedRepository(rec.folder)) ?? `base:${scopeOf(rec)}/${rec.base ?? ''}`;
}

/** One dotenv value as the generator writes it: bare, '…' (literal) or "…" (JSON). */
function dotenvValue(raw: string): string {
  const s = raw.trim();
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1);
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

/** The variables of a `.env.local` (comments and blank lines skipped), in file order. */
export function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const body = splitGenerated(text)?.body ?? text;
  for (const line of body.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = dotenvValue(m[2]!);
  }
  return vars;
}

export interface EnvJson {
  name: string;
  id: string;
  file: string;
  variables: Record<string, string>;
}

/** The instance's variables, read from its `.env.local` (hand edits included). */
export async function instanceEnv(rec: InstanceRecord): Promise<EnvJson> {
  const file = path.join(rec.folder, ENV_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read`;
    throw new AxiError('NOT_FOUND', `${file} ${why}; write it again with: axi setup ${rec.folder}`);
  }
  return { name: rec.name, id: instanceId(rec), file, variables: parseDotenv(text) };
}

/**
 * `axi env`'s variables from what `axi urls` prints (one source for both): the `.env.local` variables, each port
 * URL the file lacks (the file's own value wins), then the router's names over both, as `urls` lists a name
 * first where one exists (none while no router runs).
 */
export function envVariables(
  file: Record<string, string>,
  u: { urls: Record<string, string>; names: Record<string, string> },
): Record<string, string> {
  const variables: Record<string, string> = { ...file };
  for (const [k, url] of Object.entries(u.urls)) variables[k] ??= url;
  return { ...variables, ...u.names };
}

/** `export KEY=value` lines, for `eval "$(axi env)"`. */
export function exportLines(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
    .join('\n');
}

export interface UrlsJson {
  name: string;
  id: string;
  bind: string;
  ports: Record<string, number>;
  urls: Record<string, string>;
}

/**
 * Service URLs and connection strings, every published port with its scheme (see portUrls): the AegisX ones
 * by name, any other as `<KEY>_URL`. `facts`: its compose file's port kinds (readPortFacts).
 */
export function instanceUrls(rec: InstanceRecord, facts: Record<string, PortFacts> = {}): UrlsJson {
  const urls = Object.fromEntries(portLinks(rec.ports, facts).map((l) => [l.name, l.url]));
  return { name: rec.name, id: instanceId(rec), bind: rec.bind ?? '0.0.0.0', ports: rec.ports, urls };
}

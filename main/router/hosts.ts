/**
 * `axi router hosts`: the router's names in `/etc/hosts`, for Safari and the tools that do not resolve
 * `*.localhost` themselves. Only on request, in one marked block that `--remove` takes out again,
 * leaving every other byte of the file as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { AxiError } from '../shared/errors';
import { hasIpv6Loopback } from './listen';

export const HOSTS_FILE = '/etc/hosts';
const BEGIN = '# >>> aegisx-instances router: axi router hosts --remove takes this block out';
/** The same, when the file did not end with a newline and the block added one before itself. */
const BEGIN_NL = `${BEGIN} (and the newline before it)`;
const END = '# <<< aegisx-instances router';

/** The file without our block (and without the newline the block added, if it did). */
export function withoutBlock(text: string): string {
  for (const [begin, extra] of [
    [BEGIN_NL, 1],
    [BEGIN, 0],
  ] as const) {
    const at = text.indexOf(`${begin}\n`);
    if (at < 0 || (at > 0 && text[at - 1] !== '\n')) continue;
    const end = text.indexOf(`${END}\n`, at);
    if (end < 0) throw new AxiError('BAD_INPUT', `the router's block in the hosts file has no end line (${END})`);
    return text.slice(0, at - extra) + text.slice(end + END.length + 1);
  }
  return text;
}

/**
 * The file with our block (replacing any earlier one) naming `hosts` on loopback: 127.0.0.1, and ::1 where
 * `v6` (the router listens on both where the machine has ::1; see listen.ts).
 */
export function withBlock(text: string, hosts: readonly string[], v6: boolean): string {
  const base = withoutBlock(text);
  const lines: string[] = [];
  // One line per few names: some resolvers read only so many aliases on a line.
  for (let i = 0; i < hosts.length; i += 8) {
    const chunk = hosts.slice(i, i + 8).join(' ');
    lines.push(`127.0.0.1 ${chunk}`, ...(v6 ? [`::1 ${chunk}`] : []));
  }
  const newline = base === '' || base.endsWith('\n');
  return `${base}${newline ? '' : '\n'}${newline ? BEGIN : BEGIN_NL}\n${lines.join('\n')}${lines.length ? '\n' : ''}${END}\n`;
}

async function readHosts(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AxiError('BAD_INPUT', `${file} cannot be read: ${(err as Error).message}`);
  }
}

/**
 * Writes the file in place (not by rename: `/etc/hosts` is often a bind mount, and its owner and mode
 * stay as they are). Refused without write access, naming the file.
 */
async function writeHosts(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'needs root: run it with sudo' : (err as Error).message;
    throw new AxiError('BAD_INPUT', `${file} cannot be written: ${why}`);
  }
}

export async function writeHostsBlock(
  hosts: readonly string[],
  file = HOSTS_FILE,
  v6 = hasIpv6Loopback(),
): Promise<void> {
  const text = await readHosts(file);
  const next = withBlock(text, hosts, v6);
  if (next !== text) await writeHosts(file, next);
}

/** Takes our block out; says whether there was one. */
export async function removeHostsBlock(file = HOSTS_FILE): Promise<boolean> {
  const text = await readHosts(file);
  const next = withoutBlock(text);
  if (next === text) return false;
  await writeHosts(file, next);
  return true;
}

/**
 * `axi router trust` / `untrust`: the router's CA in the trust stores, only when the user asks.
 * Linux: the system store (`/usr/local/share/ca-certificates` + `update-ca-certificates`, which curl,
 * git and most tools read) and the NSS databases Chromium (`~/.pki/nssdb`) and Firefox (each profile)
 * read, through `certutil` when it is installed. macOS and Windows: the README gives the commands.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AxiError } from '../shared/errors';
import { caFiles } from './tls';

const run = promisify(execFile);
const NICK = 'AegisX Instances router CA';
export const SYSTEM_CA = '/usr/local/share/ca-certificates/aegisx-instances-router.crt';

/** The NSS databases of this user: Chromium's and each Firefox profile with one. */
export function nssDatabases(home = os.homedir()): string[] {
  const dbs = [path.join(home, '.pki', 'nssdb')].filter((d) => existsSync(path.join(d, 'cert9.db')));
  const ff = path.join(home, '.mozilla', 'firefox');
  if (existsSync(ff))
    for (const p of readdirSync(ff)) if (existsSync(path.join(ff, p, 'cert9.db'))) dbs.push(path.join(ff, p));
  return dbs;
}

async function hasCertutil(): Promise<boolean> {
  return run('certutil', ['-H']).then(
    () => true,
    (e: NodeJS.ErrnoException & { code?: unknown }) => e.code !== 'ENOENT',
  );
}

/** What each step did, one line each, for the command to print. */
export async function trustCa(axiHome: string, opts: { system?: string } = {}): Promise<string[]> {
  if (process.platform !== 'linux')
    throw new AxiError('BAD_INPUT', 'axi router trust is for Linux; the README says how on macOS and Windows');
  const ca = caFiles(axiHome).cert;
  if (!existsSync(ca)) throw new AxiError('NOT_FOUND', `no CA yet (${ca}); make it with: axi router tls on`);
  const done: string[] = [];
  const system = opts.system ?? SYSTEM_CA;
  try {
    await copyFile(ca, system);
    await run('update-ca-certificates', []);
    done.push(`system store: ${system} (update-ca-certificates)`);
  } catch (err) {
    done.push(`system store: not changed (${(err as Error).message.split('\n')[0]}); run it with sudo for that`);
  }
  if (!(await hasCertutil())) done.push('browsers (NSS): certutil is not installed (apt install libnss3-tools)');
  else
    for (const db of nssDatabases()) {
      await run('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', NICK, '-i', ca]);
      done.push(`browsers (NSS): ${db}`);
    }
  return done;
}

export async function untrustCa(opts: { system?: string } = {}): Promise<string[]> {
  const done: string[] = [];
  const system = opts.system ?? SYSTEM_CA;
  if (existsSync(system)) {
    try {
      await rm(system);
      await run('update-ca-certificates', ['--fresh']);
      done.push(`system store: ${system} removed`);
    } catch (err) {
      done.push(`system store: not changed (${(err as Error).message.split('\n')[0]}); run it with sudo`);
    }
  }
  if (await hasCertutil())
    for (const db of nssDatabases()) {
      const gone = await run('certutil', ['-d', `sql:${db}`, '-D', '-n', NICK]).then(
        () => true,
        () => false,
      );
      if (gone) done.push(`browsers (NSS): removed from ${db}`);
    }
  return done.length ? done : ['the CA was in no trust store'];
}

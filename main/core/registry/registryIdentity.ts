import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Which registry (`$AXI_HOME`) made a Docker object: a random id kept in `$AXI_HOME/registry-id`, written once.
 * Two HOMEs on one engine (a developer and a CI job) then never take each other's containers or volumes for their
 * own, even where the names agree.
 */
export interface RegistryIdentity {
  readonly id: string;
  /** `$AXI_HOME`, named in refusals: where the owner's commands must run. */
  readonly home: string;
}

const ID = /^[A-Za-z0-9-]{8,64}$/;
let home: string | undefined;
let cached: RegistryIdentity | undefined;

function readId(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return ID.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The id stored in `dir`; with `create`, made on first use (a concurrent maker's id wins: `wx` creates, the loser
 * reads). Without it, a registry that never labelled anything has no id: every labelled object is another's.
 */
export function loadRegistryIdentity(dir: string, create: boolean): RegistryIdentity | undefined {
  const file = path.join(dir, 'registry-id');
  let id = readId(file);
  if (!id && create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(file, `${randomUUID()}\n`, { flag: 'wx', mode: 0o600 });
    } catch {
      // Another process made it first, or the folder is read-only: read what is there.
    }
    id = readId(file);
  }
  return id ? { id, home: dir } : undefined;
}

/** Set by the service for its `$AXI_HOME`: the labels it writes and the "is it ours" rule read it. */
export function useRegistry(dir: string): void {
  if (home !== dir) cached = undefined;
  home = dir;
}

/** This process's registry identity; `create` (writing labels) makes the id file when it is missing. */
export function currentRegistry(create = false): RegistryIdentity | undefined {
  if (!home) return undefined;
  if (!cached) cached = loadRegistryIdentity(home, create);
  return cached;
}

export function currentRegistryHome(): string | undefined {
  return home;
}

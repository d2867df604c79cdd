import { type GeneratedFile } from '../project/instanceFiles';
import type { Preset } from '../project/preset';
import type { InstanceRecord } from '../registry/record';
import type { ComposeModelReader } from './composeModel';

export type StackKind = 'aegisx' | 'template' | 'compose';

/** What a checkout's instances are made of, and how its two files are written. */
export interface Stack {
  kind: StackKind;
  preset: Preset;
  template: string | null;
  from: string[] | null;
  /** The repository config's `bind:`, when it sets one. */
  bind?: string;
  /** The repository's name for the router and grouping: a compose stack's main checkout's Compose project name. */
  base?: string;
  /** `owner`: on a remote engine, the local user's name (see naming.ts). */
  project(name: string, main: boolean, folderName: string, owner?: string): string;
  render(
    rec: InstanceRecord,
    now: Date,
  ): Promise<{ files: GeneratedFile[]; services: string[]; volumes: string[]; notes?: string[] }>;
}

export interface StackRequest {
  folder: string;
  base: string;
  template?: string;
  from?: string[];
  recorded?: InstanceRecord;
  /** The environment Compose would see (setup's `env` option), for `${VAR}` in port specs. */
  env?: NodeJS.ProcessEnv;
  /** A `--from` stack's prefix as recorded elsewhere (its containers' labels). */
  prefix?: string;
  /** Compose v2's reading of the files, when it is installed. */
  composeModel?: ComposeModelReader;
  /** The main checkout's project name as `docker compose -p` gives it (setup's --project-name). */
  projectName?: string;
  /**
   * An instance's main checkout (its folder, and its registration if it has one): the instance's names derive
   * from that checkout's Compose project name.
   */
  main?: { folder: string; record?: Pick<InstanceRecord, 'project' | 'prefix' | 'base' | 'owner' | 'source'> };
  /** Where the repository config is read: a worktree whose branch has none reads its main checkout's. */
  configFolder?: string;
}

import { matchRefLoosely, notFoundText } from './refSuggest';
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { hostPortProbe, type HostPortProbe } from '../../ports/hostPorts';
import { resolveFolder } from '../../project/identity';
import { instanceId, labelOf, matchRef } from '../../registry/instanceRef';
import { COMPOSE_FILE, ENV_FILE } from '../../project/instanceFiles';
import { resolvePaths, type AxiPaths } from '../../registry/paths';
import { DEFAULT_BIND } from '../../../shared/schemas/settings';
import { useRegistry } from '../../registry/registryIdentity';
import { type ReplaceHooks } from '../setup/replaceGuard';
import { AEGISX_PRESET, type Preset } from '../../project/preset';

import { InstanceRegistry, type RegistryState } from '../../registry/registry';
import { type InstanceRecord } from '../../registry/record';
import type { InstanceSummary, ServiceOptions } from '../serviceTypes';

/** The registrations: read, found, named and forgotten. The verbs are added by conflicts.ts, setup.ts, service.ts. */
export class InstanceStore extends EventEmitter {
  readonly paths: AxiPaths;
  readonly preset: Preset;
  protected readonly registry: InstanceRegistry;
  /** How ports on this machine are checked (injected in tests); every caller probes through it. */
  readonly probe: HostPortProbe;
  protected readonly clock: () => Date;
  protected readonly ownPublishedPorts?: ServiceOptions['ownPublishedPorts'];
  protected readonly comingUpPorts?: ServiceOptions['comingUpPorts'];
  protected readonly projectPorts?: ServiceOptions['projectPorts'];
  protected readonly composeModel?: ServiceOptions['composeModel'];
  protected readonly engineProbe?: ServiceOptions['engineProbe'];
  protected readonly defaultBind: () => string;
  protected readonly replaceHooks: ReplaceHooks;

  constructor(opts: ServiceOptions = {}) {
    super();
    this.paths = opts.paths ?? resolvePaths();
    this.preset = opts.preset ?? AEGISX_PRESET;
    this.probe = opts.probe ?? hostPortProbe;
    this.clock = opts.clock ?? (() => new Date());
    this.ownPublishedPorts = opts.ownPublishedPorts;
    this.comingUpPorts = opts.comingUpPorts;
    this.projectPorts = opts.projectPorts;
    this.composeModel = opts.composeModel;
    this.engineProbe = opts.engineProbe;
    this.defaultBind = opts.defaultBind ?? (() => DEFAULT_BIND);
    this.replaceHooks = opts.replaceHooks ?? {};
    this.registry = new InstanceRegistry(this.paths);
    useRegistry(this.paths.home);
  }

  summarize(rec: InstanceRecord): InstanceSummary {
    return {
      name: rec.name,
      id: instanceId(rec),
      folder: rec.folder,
      project: rec.project,
      main: rec.main,
      slot: rec.slot,
      template: rec.template,
      ports: rec.ports,
      ...(rec.spans ? { spans: rec.spans } : {}),
      ...(rec.protocols ? { protocols: rec.protocols } : {}),
      // Registered before addresses were recorded: its file publishes on all addresses until set up again.
      bind: rec.bind ?? '0.0.0.0',
      engine: rec.engine ?? null,
      // The folder is stored absolute and normalised: joined by hand, as path.join's normalising pass
      // (interpreted on a short command's first calls) costs `list` ~3 ms over 100 instances.
      files: [`${rec.folder}${path.sep}${ENV_FILE}`, `${rec.folder}${path.sep}${COMPOSE_FILE}`],
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
    };
  }

  /** Every registration as stored (one read of the registry). */
  records(): Promise<InstanceRecord[]> {
    return this.registry.list();
  }

  /** The registry with the port registry file's foreign entries (one read). */
  readState(): Promise<RegistryState> {
    return this.registry.readState();
  }

  /** Whether another process wrote the registry since this one last read or wrote it (a stat, no read). */
  registryChangedElsewhere(): Promise<boolean> {
    return this.registry.changedElsewhere();
  }

  async list(): Promise<InstanceSummary[]> {
    return (await this.registry.list()).map((r) => this.summarize(r));
  }

  /** An instance by NAME (one repository has it), REPO/NAME, or a folder registered to one. */
  async find(nameOrDir: string): Promise<InstanceRecord> {
    const instances = await this.registry.list();
    const byName = matchRef(nameOrDir, instances);
    if (byName) return byName;
    if (nameOrDir.includes('/') || nameOrDir.startsWith('.') || (await folderExists(nameOrDir))) {
      const folder = await resolveFolder(nameOrDir).catch(() => path.resolve(nameOrDir));
      const byFolder = instances.find((i) => i.folder === folder);
      if (byFolder) return byFolder;
    }
    // A folder's dashes for Docker's underscores (`feature-login` for `feature_login`).
    const loosely = matchRefLoosely(nameOrDir, instances);
    if (loosely) return loosely;
    throw notRegistered(nameOrDir, instances);
  }

  /** How messages name an instance: its name, or `repo/name` while another repository has the name too. */
  async label(rec: InstanceRecord): Promise<string> {
    return labelOf(rec, await this.registry.list());
  }

  /** Forgets a registration. Files and volumes stay; a line of the seed's registry file axi did not write is refused. */
  async remove(nameOrDir: string): Promise<{ name: string; id?: string; folder?: string }> {
    const result = await this.registry.update((state) => {
      const inst =
        matchRef(nameOrDir, state.instances) ??
        state.instances.find((i) => i.folder === path.resolve(nameOrDir)) ??
        matchRefLoosely(nameOrDir, state.instances);
      if (inst) {
        state.instances = state.instances.filter((i) => i !== inst);
        return { name: labelOf(inst, [...state.instances, inst]), id: instanceId(inst), folder: inst.folder };
      }
      const foreign = state.foreign.find((e) => e.name === nameOrDir);
      if (foreign)
        throw new AxiError(
          'NOT_OURS',
          `${foreign.name} is line ${foreign.line} of ${this.paths.mirrorFile}, written by the team's scripts, not by axi: axi keeps it; remove it with the scripts, or delete the line by hand`,
        );
      throw notRegistered(nameOrDir, state.instances);
    });
    this.emit('changed');
    return result;
  }
}

async function folderExists(folder: string): Promise<boolean> {
  return stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A name or folder that matches no registration; the fix: look at the list. */
function notRegistered(nameOrDir: string, records: readonly InstanceRecord[]): AxiError {
  const reason = `no registered instance named or in ${JSON.stringify(nameOrDir)}`;
  // The close names (`feature_login` for `feature-logn`), where there are some.
  return new AxiError('NOT_FOUND', notFoundText(nameOrDir, records), { reason, fix: { action: 'list' } });
}

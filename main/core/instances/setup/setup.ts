import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { gitMainCheckout } from './mainCheckout';
import {
  identifyFolder,
  type FolderIdentity,
  instanceNameFromSuffix,
  standaloneMain,
  validateInstanceName,
} from '../../project/identity';
import { instanceId } from '../../registry/instanceRef';
import {
  COMPOSE_FILE,
  stageGenerated,
  type GeneratedFile,
  type StagedWrite,
  type WriteOutcome,
} from '../../project/instanceFiles';
import { ownerName } from '../../project/naming';
import { stageCheckoutFiles } from './checkoutGit';
import { guardReplacement } from './replaceGuard';
import { assertOwnDockerNames, assertOwnProject, mainNamesHolder } from './sharedNames';
import { PortAllocator } from '../../ports/portAllocator';
import { publishedBy, reassignTaken } from '../../ports/reassign';
import { defaultStack, usingLine } from './stackChoice';
import { adoptedSlot, takenOnEngine, takenPorts } from '../../ports/portClaims';
import { byName, claimName, planRecord, refuseLocalPaths, type SetupPlan } from './setupPlan';
import { CONFIG_FILE, repoConfigOf } from '../../project/repoConfig';
import { type InstanceRecord } from '../../registry/record';
import { type RegistryState } from '../../registry/registry';
import type { SetupOptions, SetupResult } from '../serviceTypes';
import { InstanceConflicts } from '../conflicts';

/** Setup: plan (who the folder is, what its stack makes), stage the files, commit them with the registration. */
export class InstanceSetup extends InstanceConflicts {
  async setup(dir: string, opts: SetupOptions = {}): Promise<SetupResult> {
    const plan = await this.planSetup(dir, opts);
    const staged: StagedWrite[] = [];
    const { record, allocated, replaced } = await this.registry
      .update((state) => this.registerPlanned(state, plan, opts, staged))
      .catch(async (err) => {
        await Promise.all(staged.map((f) => f.discard()));
        throw err;
      });
    const written = await this.commitFiles(staged, record, replaced);
    for (const f of staged) if (f.note) plan.notes.push(f.note);
    delete written['.gitignore'];
    delete written['info/exclude'];
    if (written['.env'])
      plan.notes.push(
        `.env: one marked line COMPOSE_PROJECT_NAME=${record.project}, so docker-compose in this folder acts on axi's project`,
      );
    delete written['.env'];
    this.emit('changed');
    const using = usingLine(record, record.services ?? [], plan.why);
    return { ...this.summarize(record), written, allocated, notes: plan.notes, using };
  }

  /** Who the folder is and what its stack makes: everything setup decides before the registry is locked. */
  private async planSetup(dir: string, opts: SetupOptions): Promise<SetupPlan> {
    // A remote engine's port probe (a container run there) starts now, beside the work below; the
    // allocation then finds its answer ready. Harmless if setup refuses meanwhile: it removes itself.
    const probe = opts.engine ? this.warmProbe(opts.engine) : undefined;
    const records = await this.registry.list();
    const { id, name, before, rule, stack: picked, configFolder } = await identifyForSetup(dir, opts, records);
    const { resolveStack } = require('../../compose/stacks') as typeof import('../../compose/stacks'); // setup only: keeps list/check-conflicts lean
    const stack = await resolveStack(
      {
        folder: id.folder,
        base: id.base,
        template: picked.template ?? opts.template,
        from: picked.from ?? opts.from,
        recorded: before,
        env: opts.env,
        prefix: opts.prefix,
        projectName: opts.projectName,
        composeModel: this.composeModel,
        configFolder,
      },
      this.preset,
    );
    const engine = opts.engine !== undefined ? opts.engine : (before?.engine ?? null);
    // A shared engine: Docker names carry the local user's name (kept from the registration once recorded).
    const owner = engine
      ? (before?.engine === engine && before.owner) || ownerName({ ...process.env, ...opts.env })
      : undefined;
    const notes: string[] = rule ? [rule] : [];
    // Everything that can refuse does so before the registry or any file changes.
    await access(id.folder, constants.W_OK).catch((err: NodeJS.ErrnoException) => {
      throw new AxiError('BAD_INPUT', `cannot write to ${id.folder} (${err.code}); nothing was registered`);
    });
    const mainProject = stack.project(name, true, id.folderName, owner);
    const holder = id.main
      ? mainNamesHolder(records, {
          folder: id.folder,
          project: mainProject,
          engine,
          createdAt: before?.createdAt ?? this.clock().toISOString(),
        })
      : undefined;
    if (holder)
      notes.push(
        `${holder.folder} already uses the main checkout's names (project ${mainProject}): this folder gets its own names and ports`,
      );
    const bind = opts.bind ? validateBind(opts.bind, '--bind') : (stack.bind ?? before?.bind ?? this.defaultBind());
    const plan = planRecord({
      id,
      name,
      main: id.main && !holder,
      before,
      stack,
      engine,
      owner,
      bind,
      now: this.clock(),
      notes,
      engineChoice: opts.engine,
    });
    // The adopted volumes stay this folder's data on every later setup of the same stack.
    const volumeNames =
      opts.volumeNames ?? (before?.folder === id.folder && stack.kind !== 'compose' ? before.volumeNames : undefined);
    if (volumeNames && Object.keys(volumeNames).length) plan.provisional.volumeNames = volumeNames;
    plan.why = picked.why;
    // Only where ports will be allocated (a re-setup keeps its ports unless --reassign).
    if (engine && (opts.reassign || !plan.keepsPorts))
      plan.probe = engine === opts.engine ? probe : this.warmProbe(engine);
    // Containers already running for this folder's project keep their ports: the registration follows them.
    // Only a folder with an instance file can have containers under our project name (ours came from it),
    // so a first registration never waits for the engine.
    const mayRun = !before && existsSync(path.join(id.folder, COMPOSE_FILE));
    plan.adoptPorts =
      opts.adoptPorts ?? (mayRun ? await this.projectPorts?.(plan.provisional.project, engine) : undefined);
    if (plan.adoptPorts && !opts.adoptPorts) notes.push(`adopted the ports its running containers publish`);
    await guardReplacement(records, plan.provisional, opts.replace, this.replaceHooks, notes);
    return plan;
  }

  /** Inside the registry lock: takes the name, allocates ports, renders and stages the files, records it. */
  private async registerPlanned(
    state: RegistryState,
    plan: SetupPlan,
    opts: SetupOptions,
    staged: StagedWrite[],
  ): Promise<{ record: InstanceRecord; allocated: boolean; replaced: InstanceRecord[] }> {
    const { provisional, stack, engine, notes } = plan;
    const replaced = claimName(state, provisional, notes);
    const prev = replaced.find(
      (i) => i.name === provisional.name && i.folder === provisional.folder && plan.keepsPorts,
    );
    const kept = opts.reassign ? undefined : prev;
    const probe = engine ? (plan.probe ?? this.probeFor(engine)) : this.probe;
    const taken = engine ? takenOnEngine(state, engine) : takenPorts(state);
    const suffix = provisional.suffix || provisional.folderName;
    // --reassign moves only what is taken (a port range's block moves whole, as --all does).
    const onlyTaken = opts.reassign && !opts.all && prev && !prev.spans && prev.main === provisional.main;
    const alloc = plan.adoptPorts
      ? adoptedSlot(stack.preset, provisional.main, plan.adoptPorts)
      : kept
        ? { slot: kept.slot, ports: kept.ports }
        : onlyTaken
          ? await reassignTaken({
              preset: stack.preset,
              current: prev.ports,
              slot: prev.slot,
              main: prev.main,
              suffix,
              taken,
              probe,
              ...publishedBy(prev, state.instances, await this.ownPublishedPorts?.().catch(() => undefined)),
            })
          : await new PortAllocator(stack.preset, probe).allocate({
              suffix,
              main: provisional.main,
              taken,
              reassign: opts.reassign,
            });
    const { moved, notes: said, ...slotPorts } = alloc as typeof alloc & { moved?: string; notes?: string[] };
    notes.push(...(said ?? []));
    if (moved) notes.push(`not the folder's own slot: ${moved}`);
    const rec: InstanceRecord = { ...provisional, ...slotPorts, createdAt: kept?.createdAt ?? provisional.updatedAt };
    // Rendered and written to temporary files before the registry is: a template that fails, or a
    // folder that cannot be written, leaves the registry and every file as they were.
    const out = await stack.render(rec, plan.now);
    if (engine && stack.kind === 'compose') await refuseLocalPaths(out.files, engine, stack.from ?? []);
    assertOwnProject(rec, state.instances, notes);
    await assertOwnDockerNames(rec, out.files, state.instances);
    rec.services = out.services;
    rec.volumes = out.volumes;
    notes.push(...(out.notes ?? []));
    await this.stageFiles(rec.folder, out.files, Boolean(opts.force), staged);
    staged.push(
      ...(await stageCheckoutFiles(
        rec,
        out.files.map((f) => f.path),
        notes,
      )),
    );
    state.instances.push(rec);
    state.instances.sort(byName);
    return { record: rec, allocated: !kept, replaced };
  }

  private async stageFiles(
    folder: string,
    files: readonly GeneratedFile[],
    force: boolean,
    into: StagedWrite[],
  ): Promise<void> {
    for (const f of files) into.push(await stageGenerated(folder, f, force));
  }

  /** Puts the staged files in place; if that fails, the registry goes back to what it was. */
  private async commitFiles(
    staged: StagedWrite[],
    record: InstanceRecord,
    replaced: InstanceRecord[],
  ): Promise<Record<string, WriteOutcome>> {
    const written: Record<string, WriteOutcome> = {};
    try {
      for (const f of staged) {
        await f.commit();
        written[f.path] = f.outcome;
      }
    } catch (err) {
      await Promise.all(staged.map((f) => f.discard()));
      await this.registry.update((state) => {
        state.instances = [...state.instances.filter((i) => instanceId(i) !== instanceId(record)), ...replaced].sort(
          byName,
        );
      });
      throw new AxiError(
        'BAD_INPUT',
        `cannot write the instance files in ${record.folder}: ${(err as Error).message}; the registry was left as it was`,
      );
    }
    return written;
  }
}

export function validateBind(bind: string, where: string): string {
  if (!isIP(bind))
    throw new AxiError(
      'BAD_INPUT',
      `${where} ${JSON.stringify(bind)} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)`,
    );
  return bind;
}

/** The folder's identity and instance name for setup, and the registration it already has, if any. */
async function identifyForSetup(
  dir: string,
  opts: SetupOptions,
  records: readonly InstanceRecord[],
): Promise<{
  id: FolderIdentity;
  name: string;
  before?: InstanceRecord;
  rule?: string;
  stack: { from?: string[]; template?: string; why?: string };
  configFolder?: string;
}> {
  let id = await identifyFolder(dir, opts.env ?? process.env);
  let rule: string | undefined;
  // A registration keeps its stack: only a new worktree follows its main checkout's config.
  const registered = records.find((i) => i.folder === id.folder);
  const loaded = await repoConfigOf(id.folder, registered ? undefined : id.mainWorktree);
  const inherited =
    loaded.inherited && `this branch has no ${CONFIG_FILE}: following its main checkout's (${loaded.file})`;
  // A project's own compose file unless something says otherwise (see stackChoice); registrations keep theirs.
  const stack = await defaultStack(id, opts, records, loaded);
  // Only for a folder not registered yet: an existing registration keeps its name and project.
  if (!registered && ((stack.from ?? opts.from)?.length || loaded.config.source === 'compose')) {
    ({ id, note: rule } = await gitMainCheckout(id, records));
    rule = [inherited, rule].filter(Boolean).join('; ') || undefined;
    id = standaloneMain(id);
  }
  // A main checkout by git's word or by having no sibling (both decided at its first setup) stays one: taken
  // for an instance again, it got a new name, new ports and a new project, and its containers and data were orphaned.
  if (registered?.main && !id.main) id = { ...id, base: id.folderName, suffix: '', main: true };
  const name = opts.name ? validateInstanceName(opts.name) : instanceNameFromSuffix(id.main ? id.base : id.suffix);
  return {
    id,
    name,
    rule: rule ?? (inherited || undefined),
    stack,
    configFolder: loaded.inherited,
    before: records.find((i) => i.folder === id.folder && i.name === name),
  };
}

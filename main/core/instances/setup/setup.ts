import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { identifyForSetup, validateBind } from './setupIdentity';
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
import { guardReplacement, guardSeedStack, hasSeedFiles } from './replaceGuard';
import { assertOwnDockerNames, assertOwnProject, mainNamesHolder } from './sharedNames';
import { PortAllocator } from '../../ports/portAllocator';
import { presetSpans } from '../../ports/portRanges';
import { publishedBy, reassignTaken } from '../../ports/reassign';
import { prefixLine, usingLine, usingSentence } from './stackChoice';
import { prefixFromBase } from '../../compose/stackNames';
import { adoptedSlot, takenOnEngine, takenPorts } from '../../ports/portClaims';
import { byName, claimName, planRecord, refuseLocalPaths, type SetupPlan } from './setupPlan';
import { loadRepoConfig } from '../../project/repoConfig';
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
    const said = usingSentence(record, record.services ?? [], plan.why);
    const prefix = prefixLine(record, {
      config: (await loadRepoConfig(record.folder)).config.prefix,
      option: opts.prefix,
      base: record.base && prefixFromBase(record.base),
      main: record.base,
      env: (opts.env ?? process.env).AXI_PREFIX,
    });
    return { ...this.summarize(record), written, allocated, notes: plan.notes, using, said, prefix };
  }

  /** Who the folder is and what its stack makes: everything setup decides before the registry is locked. */
  private async planSetup(dir: string, opts: SetupOptions): Promise<SetupPlan> {
    // A remote engine's port probe (a container run there) starts now, beside the work below; the
    // allocation then finds its answer ready. Harmless if setup refuses meanwhile: it removes itself.
    const probe = opts.engine ? this.warmProbe(opts.engine) : undefined;
    const records = await this.registry.list();
    const { id, name, before, rule, stack: picked, configFolder, main } = await identifyForSetup(dir, opts, records);
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
        main,
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
    // Only a folder with an instance file (ours came from it) or a main checkout's own compose file can have
    // them, so other first registrations never wait for the engine.
    // A main checkout's own compose file may already run under Compose's project name (a plain `docker compose
    // up` in this folder, told by its working_dir label): it is registered on the ports that stack publishes.
    const ours = existsSync(path.join(id.folder, COMPOSE_FILE));
    const ownStack = !before && !ours && stack.kind === 'compose' && plan.provisional.main;
    const project = plan.provisional.project;
    plan.adoptPorts =
      opts.adoptPorts ??
      (!before && (ours || ownStack)
        ? await this.projectPorts?.(project, engine, ownStack ? id.folder : undefined, presetSpans(stack.preset))
        : undefined);
    if (plan.adoptPorts && !opts.adoptPorts)
      notes.push(
        ownStack
          ? `its own Compose project ${project} already runs here (docker compose up in this folder): registered on the ports it publishes`
          : `adopted the ports its running containers publish`,
      );
    await guardReplacement(records, plan.provisional, opts.replace, this.replaceHooks, notes);
    // Adoption (volumeNames given) replaces those containers itself, after this setup.
    if (opts.force && !before && !opts.volumeNames)
      await guardSeedStack(id.folder, await hasSeedFiles(id.folder), this.replaceHooks);
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
    // --reassign moves only what is taken (a port range's block moves whole, as --all does). A main checkout
    // registered for the first time starts from its base ports, so only the taken ones move there too.
    const from = prev && prev.main === provisional.main ? prev : !prev && provisional.main ? provisional : undefined;
    const onlyTaken = opts.reassign && !opts.all && from && !from.spans ? from : undefined;
    const alloc = plan.adoptPorts
      ? adoptedSlot(stack.preset, provisional.main, plan.adoptPorts)
      : kept
        ? { slot: kept.slot, ports: kept.ports }
        : onlyTaken
          ? await reassignTaken({
              preset: stack.preset,
              current: onlyTaken.ports,
              slot: onlyTaken.slot,
              main: onlyTaken.main,
              suffix,
              taken,
              probe,
              ...publishedBy(onlyTaken, state.instances, await this.ownPublishedPorts?.().catch(() => undefined)),
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

import { instanceOrCheckout } from '../../../core/instances/records/checkout';
import { engineLabel } from '../../../shared/display/engine';
import { AxiError } from '../../../shared/errors';
import { instanceId } from '../../../core/registry/instanceRef';
import type { InstanceRecord } from '../../../core/registry/record';
import type { Backend } from '../../../docker/lifecycle/backend';
import type { ResolveImage } from '../../../docker/swarm/swarmDeploy';
import type { StackFile } from '../../../docker/swarm/swarmFile';
import { recordDeployedStack, stackStatuses, stackSummary } from '../../../docker/swarm/swarmStatus';
import { JSON_OPTION, OPTIONAL_NAME_ARG, type CliCommand, type CliContext } from '../../command';
import { table } from '../../../api/report/format';

// Loaded when the command runs: the stack file's YAML and compose modules are no cost to other commands' start-up.
const swarmFile = () => require('../../../docker/swarm/swarmFile') as typeof import('../../../docker/swarm/swarmFile');
const swarmDeploy = () =>
  require('../../../docker/swarm/swarmDeploy') as typeof import('../../../docker/swarm/swarmDeploy');

interface StackOptions {
  out?: string;
  deploy?: boolean;
  status?: boolean;
  resolveImage?: string;
  json?: boolean;
}

function resolveImageMode(value: string | undefined): ResolveImage | undefined {
  if (value === undefined) return undefined;
  if (!(swarmDeploy().RESOLVE_IMAGE_MODES as readonly string[]).includes(value))
    throw new AxiError(
      'BAD_INPUT',
      `--resolve-image ${JSON.stringify(value)} is not one of ${swarmDeploy().RESOLVE_IMAGE_MODES.join(', ')}`,
    );
  return value as ResolveImage;
}

/** Swarm cannot publish on one address: said on stderr, besides the file's own comment (quiet under --json). */
function warnNarrowed(ctx: CliContext, stack: StackFile, json?: boolean): void {
  if (json || !stack.narrowed.length) return;
  ctx.io.err(
    `axi: warning: ${stack.narrowed.join(', ')} published their ports on one address under Compose; the Swarm stack publishes them on every address of every node`,
  );
}

/** `--status`: the stack's services with their running and desired task counts, asked of the instance's engine. */
async function printStatus({ io, json }: CliContext, backend: Backend, rec: InstanceRecord, o: StackOptions) {
  const { docker } = await backend.lifecycle.docker(rec);
  const s = (await stackStatuses(docker))?.get(rec.project);
  if (o.json) return json({ name: rec.name, engine: rec.engine ?? null, stack: s ?? null });
  if (!s)
    return io.out(
      `no stack ${rec.project} on ${engineLabel(rec.engine)}; deploy one with: axi stack ${rec.name} --deploy`,
    );
  io.out(`${rec.project} on ${engineLabel(rec.engine)}: ${stackSummary(s)}`);
  io.out(
    table(
      ['SERVICE', 'TASKS'],
      s.services.map((x) => [x.name, `${x.running}/${x.desired}`]),
    ),
  );
}

/** `--deploy`: the stack file (written to --out when given) deployed on the instance's engine, and remembered for `list`. */
async function deploy(ctx: CliContext, backend: Backend, rec: InstanceRecord, o: StackOptions) {
  const { io, json } = ctx;
  // The stack keeps the compose file's host mounts, capabilities and devices: confirmed as for `up`.
  const { assertHostAccess } =
    require('../../../docker/compose/hostAccess') as typeof import('../../../docker/compose/hostAccess');
  await assertHostAccess(backend.service.paths.home, rec, await backend.service.label(rec));
  const stack = await swarmFile().stackFileFor(rec);
  const file = o.out ? await swarmFile().writeStackFile(o.out, stack.text) : undefined;
  const conn = await backend.lifecycle.docker(rec);
  const output = await swarmDeploy().deployStack(conn, rec, stack, {
    file,
    resolveImage: resolveImageMode(o.resolveImage),
  });
  await recordDeployedStack(backend.service.paths.home, instanceId(rec), stack.stack);
  warnNarrowed(ctx, stack, o.json);
  if (o.json)
    return json({ name: rec.name, engine: rec.engine ?? null, stack: stack.stack, file: file ?? null, output });
  for (const line of output) io.err(line);
  io.out(`deployed stack ${stack.stack} on ${engineLabel(rec.engine)}; its tasks: axi stack ${rec.name} --status`);
}

export const command: CliCommand<[name: string | undefined], StackOptions> = {
  name: 'stack',
  description: "write a Swarm stack file from an instance's compose file (stdout, or --out), or deploy it",
  args: [OPTIONAL_NAME_ARG],
  options: [
    { flags: '--out <file>', description: 'write the stack file there (atomically) instead of printing it' },
    { flags: '--deploy', description: "docker stack deploy it on the instance's engine (a swarm manager)" },
    { flags: '--status', description: "the deployed stack's services and their running tasks" },
    {
      flags: '--resolve-image <mode>',
      description: 'with --deploy: always, changed or never (default never: images are the engine’s own)',
    },
    JSON_OPTION,
  ],
  async run(ctx, [name], o) {
    // Options are checked before anything is read or asked.
    if (o.status && (o.deploy || o.out))
      throw new AxiError('BAD_INPUT', '--status only reads the deployed stack: give it without --deploy or --out');
    if (o.resolveImage !== undefined && !o.deploy)
      throw new AxiError('BAD_INPUT', '--resolve-image applies to --deploy only');
    resolveImageMode(o.resolveImage);
    const backend = ctx.backend();
    const rec = await instanceOrCheckout(backend.service, name);
    if (o.status) return printStatus(ctx, backend, rec, o);
    if (o.deploy) return deploy(ctx, backend, rec, o);
    const stack = await swarmFile().stackFileFor(rec);
    warnNarrowed(ctx, stack, o.json);
    if (!o.out)
      return o.json
        ? ctx.json({ name: rec.name, stack: stack.stack, from: stack.source, text: stack.text })
        : ctx.io.out(stack.text);
    const file = await swarmFile().writeStackFile(o.out, stack.text);
    if (o.json) return ctx.json({ name: rec.name, stack: stack.stack, file, from: stack.source });
    ctx.io.out(`wrote ${file}: stack ${stack.stack} from ${stack.source}`);
  },
};

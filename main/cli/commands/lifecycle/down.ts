import { instanceOrCheckout } from '../../../core/instances/records/checkout';
import { instanceId } from '../../../core/registry/instanceRef';
import type { InstanceRecord } from '../../../core/registry/record';
import type { Backend } from '../../../docker/lifecycle/backend';
import { formatBytes } from '../../../shared/display/units';
import {
  confirmed,
  JSON_OPTION,
  OPTIONAL_NAME_ARG,
  progress,
  YES_OPTION,
  type CliCommand,
  type Io,
} from '../../command';
import { statusJson, statusLine } from '../../../api/report/format';

export const command: CliCommand<[name: string | undefined], { volumes?: boolean; yes?: boolean; json?: boolean }> = {
  name: 'down',
  description: 'remove containers and network; volumes only with --volumes (asks first, or --yes)',
  args: [OPTIONAL_NAME_ARG],
  options: [
    { flags: '--volumes', description: "also delete the instance's volumes (its data, no snapshot kept)" },
    YES_OPTION,
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [name], o) {
    const rec = await instanceOrCheckout(backend().service, name);
    // Deleting data asks first, as reset, restore and clone-data do: without a terminal only --yes goes ahead.
    if (o.volumes && !o.yes) await confirmed(io, false, await deleteQuestion(backend(), io, rec));
    const s = await backend().lifecycle.down(instanceId(rec), {
      volumes: o.volumes,
      onOutput: progress(io, o.json),
    });
    if (o.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};

/** Names the volumes; their sizes only where someone is asked (one disk-usage report; a refusal stays cheap). */
async function deleteQuestion(backend: Backend, io: Io, rec: InstanceRecord): Promise<string> {
  const who = await backend.service.label(rec);
  const { volumeNames } =
    require('../../../docker/lifecycle/connections') as typeof import('../../../docker/lifecycle/connections');
  const names = volumeNames(backend.service.preset, rec);
  const sizes = io.confirm ? await volumeSizes(backend, rec) : new Map<string, number | null>();
  const listed = names.map((n) => (sizes.has(n) ? `${n} (${formatBytes(sizes.get(n))})` : n)).join(', ');
  return `Delete ${who}'s volumes${listed ? ` ${listed}` : ''}? Its data is gone for good (no snapshot is kept).`;
}

async function volumeSizes(backend: Backend, rec: InstanceRecord): Promise<Map<string, number | null>> {
  try {
    const { readVolumeSizes } =
      require('../../../docker/status/stats') as typeof import('../../../docker/status/stats');
    const { docker } = await backend.lifecycle.docker(rec);
    return new Map((await readVolumeSizes(docker)).map((v) => [v.name, v.bytes]));
  } catch {
    return new Map(); // Sizes are a courtesy: the question stands without them.
  }
}

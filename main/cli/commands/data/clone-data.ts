import { AxiError } from '../../../shared/errors';
import { timed } from '../../../core/util/debug';
import { instanceId } from '../../../core/registry/instanceRef';
import { confirmed, JSON_OPTION, progress, YES_OPTION, type CliCommand } from '../../command';
import { snapshotJson } from '../../../api/report/format';
import { copiedFigures, copyVerb } from '../../../shared/display/units';

export const command: CliCommand<
  [source: string, target: string],
  { yes?: boolean; snapshot: boolean; start?: boolean; json?: boolean }
> = {
  name: 'clone-data',
  description:
    "copy SOURCE's data (an instance, a folder, or main: TARGET's main checkout) into TARGET's volumes, inside the engine",
  args: [
    { name: '<source>', description: "instance, folder, or main (the main checkout of TARGET's repository)" },
    { name: '<target>', description: 'the instance whose data is replaced (stopped)' },
  ],
  options: [
    YES_OPTION,
    { flags: '--no-snapshot', description: "skip the snapshot of TARGET's data (it is gone for good)" },
    { flags: '--start', description: 'start TARGET once the copy is verified, and wait until it is healthy' },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [source, target], o) {
    const rec = await backend().service.find(target);
    const who = await backend().service.label(rec);
    // Said before asking: a yes to a copy that is then refused wastes the user's answer. With --yes nobody is
    // asked, and the copy itself refuses a running target with the same line (a round trip saved).
    if (!o.yes) {
      const { services } = await backend().lifecycle.status(instanceId(rec));
      if (Object.values(services).some((s) => ['running', 'paused', 'restarting'].includes(s.state)))
        throw new AxiError('IN_USE', `${who} is running; stop it first (axi stop ${who}), then copy data into it`);
    }
    await confirmed(
      io,
      o.yes,
      `Replace ${who}'s data with ${source}'s?${o.snapshot ? ' A snapshot of it is kept first.' : ' NO snapshot is kept.'}`,
    );
    const r = await timed('clone-data', () =>
      backend().lifecycle.cloneData(source, instanceId(rec), {
        snapshot: o.snapshot,
        start: o.start,
        onOutput: progress(io, o.json),
      }),
    );
    if (o.json)
      return json({
        copied: r.copied,
        unmatched: r.unmatched,
        pausedMs: r.pausedMs,
        snapshot: r.snapshot ? snapshotJson(r.snapshot) : null,
        ...(r.status ? { status: r.status.status } : {}),
      });
    for (const p of r.copied)
      io.out(`${copyVerb(Boolean(p.cloned))} ${p.from} → ${p.to}: ${copiedFigures(p)}, verified`);
    if (r.unmatched.length) io.out(`left alone (no match on the other side): ${r.unmatched.join(', ')}`);
    if (r.snapshot)
      io.out(
        `Snapshot ${r.snapshot.id} of ${who}'s previous data kept in ${r.snapshot.dir}; undo with: axi restore ${who} ${r.snapshot.id}`,
      );
    io.out(
      r.status
        ? `${who} is ${r.status.status} with the copied data`
        : `${who} is stopped with the copied data; start it with: axi up ${who}`,
    );
  },
};

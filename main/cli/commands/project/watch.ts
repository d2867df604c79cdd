import path from 'node:path';
import { JSON_OPTION, type CliCommand } from '../../command';

export const command: CliCommand<[dirs: string[]], { once?: boolean; json?: boolean }> = {
  name: 'watch',
  description:
    "follow repositories' git worktrees by their worktrees: policy (register, copy main's data, start; clean up removed ones)",
  args: [{ name: '[dirs...]', description: 'checkouts of the repositories to follow (default: this folder)' }],
  options: [{ flags: '--once', description: 'look once and act, then exit (what the git hook runs)' }, JSON_OPTION],
  async run({ backend, io }, [dirs], o) {
    const { followWorktrees, watchWorktrees } =
      require('../../../docker/lifecycle/worktreeFollower') as typeof import('../../../docker/lifecycle/worktreeFollower');
    const folders = (dirs?.length ? dirs : ['.']).map((d) => path.resolve(d));
    const emit = (e: { message: string }) =>
      io.out(
        o.json
          ? JSON.stringify({ ...e, at: new Date().toISOString() })
          : `${new Date().toLocaleTimeString()}  ${e.message}`,
      );
    if (o.once) {
      for (const dir of folders) await followWorktrees(backend(), dir, emit);
      return;
    }
    const stop = await watchWorktrees(backend(), folders, emit);
    if (!o.json) io.out(`following the worktrees of ${folders.join(', ')}; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      const done = () => (stop(), resolve());
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
  },
};

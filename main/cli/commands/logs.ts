import { NAME_ARG, type CliCommand } from '../command';

export const command: CliCommand<[name: string, service: string | undefined], { follow?: boolean; tail: string }> = {
  name: 'logs',
  description: "print (or follow) an instance's logs",
  args: [NAME_ARG, { name: '[service]', description: 'one service only' }],
  options: [
    { flags: '--follow', description: 'keep printing new lines' },
    { flags: '--tail <n>', description: 'lines of history', default: '100' },
  ],
  async run({ backend, io }, [name, service], o) {
    const ctl = new AbortController();
    process.once('SIGINT', () => ctl.abort());
    await backend().lifecycle.logs(name, {
      service,
      follow: o.follow,
      tail: Number(o.tail) || 100,
      signal: ctl.signal,
      onLine: (line, svc) => io.out(service ? line : `${svc.padEnd(9)}| ${line}`),
    });
  },
};

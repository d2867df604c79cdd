#!/usr/bin/env node
// dist/dockerode.cjs: dockerode bundled on its own (the CLI and the app load it on first use), with what a
// short command does not run deferred (BuildKit's gRPC and protobuf, ssh2, https, zlib, tar-fs, uuid: see
// main/docker/engine/lazy/) and one eager line of docker-modem made lazy: it formats every request's options with
// util.inspect for a debug log that is off unless DEBUG=modem, ~2.5 ms on each command's first request.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const EAGER_DEBUG = "debug('Sending: %s', util.inspect(";

/** docker-modem's request log, built only when that log is on. */
const lazyModemDebug = {
  name: 'lazy-modem-debug',
  setup(b) {
    b.onLoad({ filter: /docker-modem[\\/]lib[\\/]modem\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      // A docker-modem that no longer has this line builds as it is: the patch is only ever a saving.
      return { contents: source.replace(EAGER_DEBUG, `debug.enabled && ${EAGER_DEBUG}`), loader: 'js' };
    });
  },
};

const lazy = (m) => `./main/docker/engine/lazy/${m}.ts`;
await build({
  entryPoints: ['node_modules/dockerode/lib/docker.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/dockerode.cjs',
  logLevel: 'warning',
  external: ['cpu-features'],
  alias: {
    ssh2: './main/docker/engine/ssh2Lazy.ts',
    '@grpc/grpc-js': lazy('grpc'),
    '@grpc/proto-loader': lazy('protoLoader'),
    protobufjs: lazy('protobuf'),
    https: lazy('https'),
    zlib: lazy('zlib'),
    'tar-fs': lazy('tarFs'),
    uuid: lazy('uuid'),
  },
  plugins: [lazyModemDebug],
});

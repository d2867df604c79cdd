import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * In the CLI bundle `dockerode` resolves here: dockerode and docker-modem are one pre-bundled file
 * (`dist/dockerode.cjs`, ssh2 deferred), loaded only by commands that talk to the engine. One file
 * instead of ~200 small modules roughly halves its load time.
 */
const Docker: unknown = createRequire(__filename)(path.join(__dirname, 'dockerode.cjs'));
export default Docker;

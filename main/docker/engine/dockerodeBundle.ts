import path from 'node:path';
import { requireWithCodeCache } from '../../core/util/codeCache';

/**
 * In the CLI bundle `dockerode` resolves here: dockerode and docker-modem are one pre-bundled file
 * (`dist/dockerode.cjs`, ssh2 deferred), loaded only by commands that talk to the engine. One file
 * instead of ~200 small modules roughly halves its load time; V8's code cache saves compiling it.
 */
const Docker: unknown = requireWithCodeCache(path.join(__dirname, 'dockerode.cjs'));
export default Docker;

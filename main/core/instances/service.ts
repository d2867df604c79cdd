// The service is built up by verb: records/instanceStore.ts, conflicts.ts, setup/setup.ts; types in serviceTypes.ts.
import { InstanceSetup } from './setup/setup';

/**
 * The one facade the CLI, `axi serve` and Electron's main process call.
 * Its methods are the API table; it emits `changed` after every mutation.
 */
export class InstanceService extends InstanceSetup {}

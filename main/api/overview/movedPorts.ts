import type { InstanceRecord } from '../../core/registry/record';
import type { Backend } from '../../docker/lifecycle/backend';

/**
 * Ports its running containers still publish where the registration moved them (none without an engine): what
 * `axi urls` and MCP's `urls` mark as pending ("restart to use"), the same as the window.
 */
export async function movedWhileRunning(b: Backend, rec: InstanceRecord): Promise<Record<string, number>> {
  try {
    const { listComposeContainers } =
      require('../../docker/status/status') as typeof import('../../docker/status/status');
    const { oldPorts } = require('./overview') as typeof import('./overview');
    const { docker } = await b.lifecycle.docker(rec.engine ?? null);
    const containers = (await listComposeContainers(docker)).filter((c) => c.project === rec.project);
    return oldPorts(rec, containers);
  } catch {
    return {}; // no engine: nothing runs, so nothing is on an old port
  }
}

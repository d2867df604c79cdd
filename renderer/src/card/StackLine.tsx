import { stackShortfall, stackTasks } from '../../../main/shared/display/stackText';
import type { InstanceView } from '../../../main/shared/api/table';

/**
 * An instance deployed as a Swarm stack (`axi stack --deploy`): its tasks as the swarm counts them, and the
 * services that lack some. Shown beside the Compose state, which is stopped while the stack runs.
 */
export function StackLine({ instance: i }: { instance: InstanceView }) {
  const s = i.stack;
  if (!s) return null;
  const short = stackShortfall(s, s.name);
  const whole = s.desired > 0 && s.running === s.desired;
  return (
    <p className={`stack ${whole ? 'stack-whole' : 'stack-short'}`} data-testid="stack">
      Swarm stack <code>{s.name}</code>: <span className="stack-tasks">{stackTasks(s)}</span>
      {short && <span className="stack-short-list"> · waiting: {short}</span>}
    </p>
  );
}

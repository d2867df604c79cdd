import { after, before, test } from 'node:test';
import { sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';
import { checkErrorCodes } from './errorCodeChecks';

// The HTTP half of "error codes survive the bridge"; test/desktop runs the same checks over IPC.
const sb = sandbox();
const env = { ...sb.env, AXI_PREFIX: 'axitest' };
let dash: Dashboard;

before(async () => {
  dash = await openDashboard(env);
  await dash.page.getByRole('heading', { name: 'No instances yet' }).waitFor();
});

after(async () => {
  await dash?.close();
  sb.cleanup(); // registered only, never started: nothing in the engine
});

test('HTTP bridge: BAD_INPUT and PORT_CONFLICT reach the window ("Register with other ports" offered)', async () => {
  await checkErrorCodes(dash.page, sb.folder('aegisx-starter'));
});

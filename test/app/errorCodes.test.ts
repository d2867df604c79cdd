import { test } from 'node:test';
import { sandbox } from '../helpers';
import { dashboardHooks, type Dashboard } from './browserHelpers';
import { checkErrorCodes } from './errorCodeChecks';

// The HTTP half of "error codes survive the bridge"; test/desktop runs the same checks over IPC.
const sb = sandbox();
const env = { ...sb.env, AXI_PREFIX: 'axitest' };
let dash: Dashboard;
dashboardHooks(sb, env, (d) => (dash = d));

test('HTTP bridge: BAD_INPUT and PORT_CONFLICT reach the window ("Register with other ports" offered)', async () => {
  await checkErrorCodes(dash.page, sb.folder('aegisx-starter'));
});

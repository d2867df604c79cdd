// `npm run bench`: every benchmark, each measuring our way and the seed's way in the same run.
import checkConflicts from './checkConflicts.mjs';
import cow from './cow.mjs';
import dataCopy from './dataCopy.mjs';
import docker from './docker.mjs';
import idleCheck from './idleCheck.mjs';
import idleMemory from './idleMemory.mjs';
import mcp from './mcp.mjs';
import remote from './remote.mjs';
import router from './router.mjs';
import setupFrom from './setupFrom.mjs';
import stats from './stats.mjs';
import ui from './ui.mjs';
import wake from './wake.mjs';
import worktreeReady from './worktreeReady.mjs';

const only = process.argv.slice(2);
const benches = {
  'check-conflicts': checkConflicts,
  'setup-from': setupFrom,
  docker,
  stats,
  'data-copy': dataCopy,
  'worktree-ready': worktreeReady,
  ui,
  mcp,
  remote,
  router,
  cow,
  'idle-check': idleCheck,
  wake,
  'idle-memory': idleMemory,
};
let missed = 0;
for (const [name, fn] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  const { ok } = await fn();
  if (!ok) missed++;
}
console.log(`\n${missed ? `${missed} target(s) missed` : 'all targets met'}`);

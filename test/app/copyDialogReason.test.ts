import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exec, RUN } from '../docker/dockerHelpers';
import { GIT_IDENTITY, runAxiJson, sandbox } from '../helpers';
import { moreAction, openDashboard, type Dashboard } from './browserHelpers';

/**
 * The copy dialog's Replace button greyed because nothing can be copied: the dialog says why and what to do (here:
 * main, of a repository with its own `prefix:`, has never run, so its volumes do not exist yet).
 */
describe('Copy data from… says why nothing can be copied', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: `axcd${RUN}` };
  const main = sb.folder(`trial-ui${RUN}`);
  const tree = `${main}-login`;
  const names: string[] = [];
  let dash: Dashboard | undefined;

  before(async () => {
    const git = async (...args: string[]) => assert.equal((await exec('git', ['-C', main, ...args], env)).code, 0);
    await git('init', '-q', '-b', 'main');
    writeFileSync(path.join(main, '.aegisx-instances.yml'), `prefix: trd${RUN}\n`);
    await git('add', '.');
    await git('commit', '-q', '-m', 'init');
    await git('worktree', 'add', '-q', tree);
    for (const dir of [main, tree]) {
      const r = await runAxiJson(['setup', dir], { env });
      assert.equal(r.code, 0, r.stderr);
      names.push(r.json.name);
    }
    dash = await openDashboard(env);
  });

  after(async () => {
    await dash?.close();
    sb.cleanup();
  });

  test('the greyed Replace button comes with the reason and the next step', async () => {
    const page = dash!.page;
    const card = page.getByRole('article', { name: `instance ${names[1]}` });
    await card.waitFor();
    await moreAction(card, 'Copy data from…');
    const dialog = page.getByRole('dialog', { name: `Copy data into ${names[1]}` });
    const why = dialog.getByRole('alert', { name: 'why nothing can be copied' });
    await why.waitFor();
    assert.match(
      await why.innerText(),
      new RegExp(`${names[0]} has no data yet: .*start it once \\(axi up ${names[0]}\\)`),
    );
    assert.ok(await dialog.getByRole('button', { name: `Replace ${names[1]}'s data` }).isDisabled());
  });
});

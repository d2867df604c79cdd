import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { SHOP_COMPOSE } from '../compose/fixtures';
import { sandbox } from '../helpers';
import { dashboardHooks, folderTransfer } from './browserHelpers';

/** Issue 23, point 2, in the window: the add field says which stack a folder gets and offers the other. */
describe('adding a folder with its own compose file, in Chromium against axi serve', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  let page: Page;
  dashboardHooks(sb, env, (d) => (page = d.page));

  const project = (name: string, web: number, db: number) => {
    const dir = sb.folder(name);
    writeFileSync(path.join(dir, 'docker-compose.yml'), SHOP_COMPOSE(web, db, name));
    return dir;
  };
  const registered = async (dir: string) => {
    const item = page.locator(`.results li.ok[data-dir="${dir}"]`);
    await item.waitFor();
    return item.innerText();
  };

  test('a typed folder with a docker-compose.yml: its file is chosen, and Add registers that stack', async () => {
    const dir = project('cafe', 38880, 36240);
    await page.getByLabel('Add a repository folder').fill(dir);
    const own = page.getByRole('radio', { name: 'its own docker-compose.yml (web, db)' });
    await own.waitFor();
    assert.equal(await own.isChecked(), true);
    assert.equal(await page.getByRole('radio', { name: /the AegisX stack/ }).isChecked(), false);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const text = await registered(dir);
    assert.match(text, /web \d+, db \d+\./);
    assert.match(text, /Using docker-compose\.yml \(2 services: web, db\)/);
    assert.doesNotMatch(text, /postgres|pgadmin/);
    // Every published port is on its card with its scheme (issue 23, point 5): the database as a connection string.
    const card = page.getByRole('article', { name: 'instance cafe' });
    const db = card.locator('[data-port="db"]');
    await db.waitFor();
    assert.match(await db.innerText(), /^db \d+ copy DB_URL$/);
    assert.match((await db.getAttribute('title')) ?? '', /^postgresql:\/\/postgres:secret@localhost:\d+\/postgres$/);
    assert.equal(await card.locator('[data-port="web"]').count(), 1);
  });

  test('choosing the AegisX stack before Add registers the AegisX stack instead', async () => {
    const dir = project('aegisx-starter-picked', 38980, 36340);
    await page.getByLabel('Add a repository folder').fill(dir);
    await page.getByRole('radio', { name: /the AegisX stack/ }).check();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const text = await registered(dir);
    assert.match(text, /postgres \d+, redis \d+, api \d+, web \d+, admin \d+, pgadmin \d+/);
    assert.match(text, /Using the AegisX stack/);
  });

  test('a folder where both are plausible: Add waits for a choice; a drop offers both as buttons', async () => {
    const dir = project('aegisx-starter-both', 39080, 36440);
    mkdirSync(path.join(dir, 'scripts'));
    writeFileSync(path.join(dir, 'scripts', 'setup-env.sh'), '#!/bin/sh\n');
    await page.getByLabel('Add a repository folder').fill(dir);
    await page.getByRole('group', { name: 'Choose its stack' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add', exact: true }).isDisabled(), true);

    const dt = await folderTransfer(page, dir);
    await page.dispatchEvent('.app', 'drop', { dataTransfer: dt });
    const refused = page.locator(`.results li.bad[data-dir="${dir}"]`);
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-code'), 'CHOOSE_STACK');
    assert.match(await refused.innerText(), /scripts\/setup-env\.sh: choose one below/);
    await refused.getByRole('button', { name: 'Use its compose file' }).click();
    const text = await registered(dir);
    assert.match(text, /web \d+, db \d+\./);
  });
});

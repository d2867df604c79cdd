import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { holdPort } from '../helpers';

/**
 * The same refusals through either bridge (Electron's IPC or `axi serve`'s
 * HTTP), as the window shows them: each failed add result carries the code
 * main gave, and a refusal for taken ports offers "Register with other ports",
 * which registers the folder elsewhere. Adds through the window's own field.
 */
export async function checkErrorCodes(page: Page, mainCheckout: string): Promise<void> {
  const field = page.getByLabel('Add a repository folder');
  const add = async (text: string) => {
    await field.fill(text);
    await field.press('Enter');
  };
  const result = (dir: string) => page.locator(`.results li[data-dir="${dir}"]`);

  // A folder named like the repository is its main checkout, which takes the base ports (web 4200).
  const holder = await holdPort(4200);
  try {
    await add(mainCheckout);
    const failed = result(mainCheckout).and(page.locator('.bad'));
    await failed.waitFor();
    const offer = failed.getByRole('button', { name: 'Register with other ports' });
    await offer.waitFor({ timeout: 5_000 });
    assert.equal(await failed.getAttribute('data-code'), 'PORT_CONFLICT');
    await offer.click();
    const ok = result(mainCheckout).and(page.locator('.ok'));
    await ok.waitFor();
    assert.doesNotMatch(await ok.innerText(), /web 4200\b/);
  } finally {
    await holder.stop();
  }
  await add('~');
  assert.equal(await result('~').getAttribute('data-code'), 'BAD_INPUT');
  await add('/definitely/not/here');
  await result('/definitely/not/here').waitFor();
  assert.equal(await result('/definitely/not/here').getAttribute('data-code'), 'BAD_INPUT');

  const dismiss = page.locator('.results li').getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

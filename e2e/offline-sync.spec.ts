/**
 * Offline-first through the UI: device A (one browser context) works offline, goes back online, and
 * device B (a second browser context of the same tenant) receives everything through the real sync server.
 */
import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  connect,
  createContact,
  createToken,
  detailValue,
  fillForm,
  openContact,
  syncStatus,
  uniqueTenant,
} from './support/app';

declare global {
  interface Window {
    seenSyncStates?: string[];
  }
}

test('offline edits are kept, marked pending, and reach device B once online; the indicator goes Offline → Syncing → Synced', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { deviceA, deviceB, pageA, pageB } = await twoDevices(browser, 'offline');

  // Every text the indicator shows from now on, in order (transitions can be quicker than polling).
  await pageA.evaluate(() => {
    const seen: string[] = [];
    window.seenSyncStates = seen;
    const record = () => {
      const text = document.querySelector('[role="status"][data-state]')?.textContent ?? '';
      if (seen.at(-1) !== text) seen.push(text);
    };
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });

  await deviceA.setOffline(true);
  await expect(syncStatus(pageA)).toHaveText('Offline');

  await createContact(pageA, { 'First name': 'Olga', 'Last name': 'Offline', Phone: '111', Status: 'Lead' });
  await expect(pageA.getByText('pending', { exact: true })).toBeVisible();
  await editField(pageA, 'Phone', '222');
  await expect(pageA.getByTestId('sync-pending')).toBeVisible();
  await expect(syncStatus(pageA)).toHaveText('Offline');

  await deviceA.setOffline(false);
  await expect(syncStatus(pageA)).toHaveText('Synced', { timeout: 30_000 });
  await expect(pageA.getByText('pending', { exact: true })).toHaveCount(0);
  // The live stream may start another short round right after "Synced" (the server's event for A's own
  // push, or a reconcile write): the indicator may say "Syncing" again for a moment, and must end at "Synced".
  const seenStates = () => pageA.evaluate(() => window.seenSyncStates ?? []);
  await expect.poll(async () => (await seenStates()).at(-1), { timeout: 30_000 }).toBe('Synced');
  const seen = await seenStates();
  const afterOffline = seen.slice(seen.indexOf('Offline'));
  expect(afterOffline[0], seen.join(' → ')).toBe('Offline');
  expect(afterOffline, seen.join(' → ')).toContain('Syncing');
  expect(afterOffline.indexOf('Syncing'), seen.join(' → ')).toBeLessThan(afterOffline.lastIndexOf('Synced'));
  expect(afterOffline, seen.join(' → ')).not.toContain('Sync error');

  // Device B: the contact with the offline edit, and its auto-created lead linked to it.
  await expect(async () => {
    await openContact(pageB, 'Olga Offline');
  }).toPass({ timeout: 30_000 });
  await expect(detailValue(pageB, 'Phone')).toHaveText('222');
  await pageB.getByRole('button', { name: 'Lead: Olga Offline' }).click();
  await expect(detailValue(pageB, 'Phone')).toHaveText('222');
  await expect(
    pageB.getByRole('alert').filter({ hasText: 'This lead was automatically created from a contact' }),
  ).toBeVisible();

  // And back: B edits the lead while A is online, A sees it on the contact (R9 ran on B, result replicated).
  await pageB.getByRole('button', { name: 'Edit' }).click();
  await fillForm(pageB, { Company: 'Offgrid Ltd' });
  await pageB.getByRole('button', { name: 'Save' }).click();
  await expect(syncStatus(pageB)).toHaveText('Synced', { timeout: 30_000 });
  await expect(detailValue(pageA, 'Company')).toHaveText('Offgrid Ltd', { timeout: 30_000 });

  await deviceA.close();
  await deviceB.close();
});

/** Two devices (browser contexts) of reps rep-a and rep-b of one new tenant, both connected. */
async function twoDevices(browser: Browser, tenantPrefix: string) {
  const tenant = uniqueTenant(tenantPrefix);
  const [tokenA, tokenB] = await Promise.all([createToken(tenant, 'rep-a'), createToken(tenant, 'rep-b')]);
  const [deviceA, deviceB] = [await browser.newContext(), await browser.newContext()];
  const [pageA, pageB] = [await deviceA.newPage(), await deviceB.newPage()];
  await Promise.all([pageA.goto('/'), pageB.goto('/')]);
  await connect(pageA, tokenA);
  await connect(pageB, tokenB);
  return { deviceA, deviceB, pageA, pageB };
}

async function editField(page: Page, label: 'Phone' | 'Company', value: string) {
  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { [label]: value });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(detailValue(page, label)).toHaveText(value);
}

test("an offline edit that another rep's later edit replaced is told in the History of both devices", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { deviceA, deviceB, pageA, pageB } = await twoDevices(browser, 'replaced');
  await createContact(pageA, {
    'First name': 'Rita',
    'Last name': 'Replaced',
    Company: 'Before Ltd',
    Status: 'Active',
  });
  await expect(syncStatus(pageA)).toHaveText('Synced', { timeout: 30_000 });
  await expect(async () => {
    await openContact(pageB, 'Rita Replaced');
  }).toPass({ timeout: 30_000 });

  await deviceA.setOffline(true);
  await deviceB.setOffline(true);
  await editField(pageA, 'Company', 'Mine Ltd');
  await editField(pageB, 'Company', 'Theirs Ltd');
  // The later edit reaches the server first; A's earlier edit then meets it as a conflict and loses.
  await deviceB.setOffline(false);
  await expect(syncStatus(pageB)).toHaveText('Synced', { timeout: 30_000 });
  await deviceA.setOffline(false);

  await expect(detailValue(pageA, 'Company')).toHaveText('Theirs Ltd', { timeout: 30_000 });
  const historyA = pageA.getByRole('region', { name: 'History' });
  await expect(historyA.getByText("Your edit of Company was replaced by rep-b's later edit")).toBeVisible({
    timeout: 30_000,
  });
  await expect(historyA.getByText('Company: Mine Ltd replaced by Theirs Ltd')).toBeVisible();
  await expect(
    pageB
      .getByRole('region', { name: 'History' })
      .getByText("rep-a's edit of Company was replaced by your later edit"),
  ).toBeVisible({ timeout: 30_000 });

  await deviceA.close();
  await deviceB.close();
});

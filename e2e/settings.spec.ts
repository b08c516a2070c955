/** Settings: a refused token is reported in words; Disconnect stops syncing; departments feed the forms. */
import { expect, test } from '@playwright/test';
import { createToken, syncServerUrl, syncStatus, uniqueTenant } from './support/app';

test.beforeEach(async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByLabel('Server URL')).toBeVisible();
});

test('a wrong token shows "Sync error" with the reason; a good one syncs; Disconnect goes back to Not connected', async ({
  page,
}) => {
  await page.getByLabel('Server URL').fill(syncServerUrl());
  await page.getByLabel('Access token').fill('not-a-real-token');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(syncStatus(page)).toHaveText('Sync error', { timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: /^Sync error: .+/ })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /^Sync error: / })).not.toContainText('..');
  // A notification says so too, wherever the user is.
  await expect(
    page.getByRole('alert').filter({ hasText: /^Sync stopped: The sync server refused the token/ }),
  ).toContainText('Your work is kept on this device.');
  // One consistent state: a refused token is never also called "Connected".
  await expect(page.getByText(/Connected/)).toHaveCount(0);

  const token = await createToken(uniqueTenant('settings'), 'rep-a');
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(syncStatus(page)).toHaveText('Synced', { timeout: 20_000 });

  await page.getByRole('button', { name: 'Disconnect' }).click();
  await expect(syncStatus(page)).toHaveText('Not connected');
  // The token is forgotten, the URL kept: a reload does not reconnect.
  await page.reload();
  await expect(page.getByLabel('Server URL')).toHaveValue(syncServerUrl());
  await expect(syncStatus(page)).toHaveText('Not connected');
});

test('departments added in Settings are offered by the Department field', async ({ page }) => {
  await page.getByLabel('Department name').fill('Field Sales');
  await page.getByRole('button', { name: 'Add department' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Field Sales' })).toBeVisible();

  await page.getByLabel('Department name').fill('field sales');
  await page.getByRole('button', { name: 'Add department' }).click();
  await expect(page.getByLabel('Department name')).toHaveAccessibleDescription(
    'A department with this name exists already',
  );

  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  await page.getByLabel('First name', { exact: true }).fill('Dee');
  await page.getByLabel('Department', { exact: true }).selectOption({ label: 'Field Sales' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.locator('dt', { hasText: /^Department$/ }).locator('xpath=following-sibling::dd[1]'),
  ).toHaveText('Field Sales');
});

test('Check data repairs a contact/lead pair that disagrees and says so in words', async ({ page }) => {
  await page.evaluate(async () => {
    const hooks = window.fieldbookE2E!;
    await hooks.insertMany('contacts', [
      { id: 'c-check', firstName: 'Dana', lastName: 'Check', status: 'Lead' },
    ]);
    // The lead changed without its contact following (as a write of an old app version would leave it).
    await hooks.writeBypassingHooks('leads', {
      id: 'lead-c-check',
      firstName: 'Danielle',
      updatedAt: Date.now() + 5,
    });
  });
  const dataCheck = page.getByRole('region', { name: 'Data check' });
  await dataCheck.getByRole('button', { name: 'Check data' }).click();
  await expect(dataCheck.getByRole('alert')).toHaveText(
    'Checked 2 linked contacts and leads: repaired 1 record.',
  );

  await dataCheck.getByRole('button', { name: 'Check data' }).click();
  await expect(dataCheck.getByRole('alert')).toHaveText(
    'Checked 2 linked contacts and leads: every link is consistent.',
  );
  await page.goto('/contacts/c-check');
  await expect(page.getByRole('heading', { name: /Danielle Check/ })).toBeVisible();
});

/**
 * The web build fetches a part of the app over HTTP on first use, so once the first screen shows its data
 * the app fetches every part ahead (chunksAhead.ts): a rep who loses the network later still has all of it.
 * That includes the parts registered by chunks the ahead fetch itself loads (the CSV export of the list
 * pages), whichever screen the app started on.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { insertRecords, numberedPeople } from './support/app';

test('started on Today and then offline, the contacts list still exports the selected contacts as CSV', async ({
  page,
  context,
}) => {
  const csvExportFetched = page.waitForResponse(/\/assets\/exportCsv-[\w-]+\.js$/);
  await page.goto('/today');
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await insertRecords(
    page,
    'contacts',
    numberedPeople(3, { idPrefix: 'off', firstName: 'Offline', digits: 1 }),
  );
  await csvExportFetched;

  await context.setOffline(true);
  await page.getByRole('link', { name: 'Contacts' }).click();
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await grid.getByRole('checkbox', { name: 'Select Offline 1' }).click();
  const downloading = page.waitForEvent('download');
  await page
    .getByRole('toolbar', { name: 'Selected records' })
    .getByRole('button', { name: 'Export selected' })
    .click();
  const csv = await readFile((await (await downloading).path())!, 'utf8');
  expect(csv).toContain('Offline');
  expect(csv.trim().split(/\r?\n/)).toHaveLength(2);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

/**
 * A rep's everyday work in the real app over IndexedDB: plan a task and log a call on a contact (next
 * step on the row, overdue in Today, done from there, in the history), money in the team's currency with
 * weighted column totals, and a deletion that can be undone from its notification.
 */
import { expect, test } from '@playwright/test';
import { insertRecords } from './support/app';

/** A datetime-local value `days` from now. */
function localInput(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
});

test('a planned task shows on the row and overdue in Today, is done from there; a logged call is in the history', async ({
  page,
}) => {
  await insertRecords(page, 'contacts', [
    { id: 'work-ada', firstName: 'Ada', lastName: 'Lovelace', status: 'Active' },
  ]);
  await page.getByRole('grid', { name: 'Contacts' }).getByRole('link', { name: 'Ada Lovelace' }).click();

  const composer = page.getByRole('form', { name: 'Log or plan an activity' });
  await composer.getByRole('button', { name: 'Task' }).click();
  await composer.getByLabel('Subject').fill('Send the offer');
  await composer.getByLabel('Due').fill(localInput(-1));
  await composer.getByRole('button', { name: 'Plan task' }).click();
  await expect(page.getByText('Task planned')).toBeVisible();

  await composer.getByRole('button', { name: 'Call' }).click();
  await composer.getByLabel('Subject').fill('Intro call went well');
  await composer.getByRole('button', { name: 'Log call as done' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Intro call went well');

  await page.getByRole('link', { name: 'Contacts' }).click();
  const row = page.getByRole('grid', { name: 'Contacts' }).getByRole('row', { name: /Ada Lovelace/ });
  await expect(row).toContainText('Send the offer');

  await page.getByRole('link', { name: 'Today' }).click();
  const overdue = page.getByRole('list', { name: 'Overdue' });
  await expect(overdue).toContainText('Task: Send the offer');
  await expect(overdue).toContainText('overdue');
  await overdue.getByRole('checkbox', { name: 'Mark "Send the offer" done' }).click();
  await expect(page.getByText('Done: Send the offer')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Overdue' })).toHaveCount(0);
});

test('values in the team currency; each column shows its total and weighted total', async ({ page }) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Team settings' });
  await form.getByLabel('Team currency').fill('EUR');
  await page.getByRole('option', { name: /^EUR/ }).click();
  await form.getByLabel('Contacted probability').fill('40');
  await form.getByRole('button', { name: 'Save team settings' }).click();
  await expect(page.getByText('Team settings saved')).toBeVisible();

  await insertRecords(page, 'leads', [
    { id: 'money-1', firstName: 'Grace', lastName: 'Hopper', status: 'Contacted', value: 1000 },
    { id: 'money-2', firstName: 'Alan', lastName: 'Turing', status: 'Contacted', value: 2500.5 },
  ]);
  await page.getByRole('link', { name: 'Pipeline' }).click();
  const contacted = page.getByRole('region', { name: /^Contacted/ });
  await expect(contacted).toHaveAccessibleName(/total value €3,500\.50, weighted €1,400\.20/);
  await expect(contacted.getByRole('listitem').filter({ hasText: 'Alan Turing' })).toContainText('€2,500.50');
});

test('a deleted contact disappears at once and comes back with Undo', async ({ page }) => {
  await insertRecords(page, 'contacts', [
    { id: 'undo-ada', firstName: 'Ada', lastName: 'Byron', status: 'Active' },
  ]);
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await grid.getByRole('link', { name: 'Ada Byron' }).click();
  await page.getByRole('button', { name: 'Delete contact' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();

  await expect(page.getByText('Deleted contact Ada Byron')).toBeVisible();
  await expect(grid.getByRole('link', { name: 'Ada Byron' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('Deletion undone')).toBeVisible();
  await expect(grid.getByRole('link', { name: 'Ada Byron' })).toBeVisible();
  // Still there after the undo window would have closed.
  await page.waitForTimeout(7000);
  await page.reload();
  await expect(
    page.getByRole('grid', { name: 'Contacts' }).getByRole('link', { name: 'Ada Byron' }),
  ).toBeVisible();
});

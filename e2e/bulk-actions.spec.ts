/**
 * Bulk actions on the contacts list, in the real app over IndexedDB: select with checkboxes, Shift-click
 * ranges, Space, and "select all matching" beyond the loaded page; each change goes through the database
 * layer, so the link rules run (contacts set to Lead get their leads); delete hides at once and can be undone.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { insertRecords, numberedPeople } from './support/app';

const COUNT = 150;
const name = (index: number) => `Bulk ${String(index).padStart(3, '0')}`;

const insertContacts = (page: Page) =>
  insertRecords(page, 'contacts', numberedPeople(COUNT, { idPrefix: 'bulk', firstName: 'Bulk', digits: 3 }));

const grid = (page: Page) => page.getByRole('grid', { name: 'Contacts' });
const checkbox = (page: Page, index: number) =>
  grid(page).getByRole('checkbox', { name: `Select ${name(index)}` });
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Selected records' });

async function setField(page: Page, button: string, option: string) {
  await toolbar(page).getByRole('button', { name: button }).click();
  await page.getByRole('menuitem', { name: option, exact: true }).click();
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertContacts(page);
  await expect(grid(page)).toContainText(name(0));
});

test('Shift-click selects a range; setting the status to Lead runs the link rules for each one', async ({
  page,
}) => {
  await checkbox(page, 1).click();
  await checkbox(page, 4).click({ modifiers: ['Shift'] });
  await expect(toolbar(page).getByRole('status').first()).toHaveText('4 selected');
  for (const index of [1, 2, 3, 4]) await expect(checkbox(page, index)).toBeChecked();
  await expect(checkbox(page, 0)).not.toBeChecked();

  await setField(page, 'Set status', 'Lead');
  await expect(page.getByText('Changed 4 contacts.')).toBeVisible();
  const row = grid(page).getByRole('row', { name: new RegExp(name(3)) });
  await expect(row).toContainText('Lead');

  await page.getByRole('link', { name: 'Leads' }).click();
  const leads = page.getByRole('grid', { name: 'Leads' });
  for (const index of [1, 2, 3, 4])
    await expect(leads.getByRole('row', { name: new RegExp(name(index)) })).toBeVisible();
  await expect(leads.getByRole('row', { name: new RegExp(name(5)) })).toHaveCount(0);
});

test('select all matching reaches the records not loaded yet, and Space selects from the keyboard', async ({
  page,
}) => {
  await grid(page).getByRole('checkbox', { name: 'Select all loaded rows' }).click();
  await expect(toolbar(page).getByRole('status').first()).toHaveText('100 selected');
  await toolbar(page)
    .getByRole('button', { name: `Select all ${COUNT} matching` })
    .click();
  await expect(toolbar(page).getByRole('status').first()).toHaveText(`All ${COUNT} matching selected`);
  // The selection bar and checkboxes keep the list accessible.
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(
    results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      ),
  ).toEqual([]);
  await setField(page, 'Set assigned to', 'Me');
  await expect(page.getByText(`Changed ${COUNT} contacts.`)).toBeVisible({ timeout: 30_000 });

  await toolbar(page).getByRole('button', { name: 'Clear selection' }).click();
  await expect(toolbar(page)).toHaveCount(0);
  // Keyboard: the grid is one tab stop; Space on a row selects it.
  await grid(page).getByRole('columnheader').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(checkbox(page, 0)).toBeChecked();
  await expect(toolbar(page).getByRole('status').first()).toHaveText('1 selected');
});

test('bulk delete hides the rows at once and can be undone; without undo they are deleted', async ({
  page,
}) => {
  await checkbox(page, 0).click();
  await checkbox(page, 1).click();
  await toolbar(page).getByRole('button', { name: 'Delete selected' }).click();
  await expect(grid(page).getByRole('row', { name: new RegExp(name(0)) })).toHaveCount(0);
  await expect(page.getByText('Deleted 2 contacts')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(grid(page).getByRole('row', { name: new RegExp(name(0)) })).toBeVisible();

  await checkbox(page, 0).click();
  await checkbox(page, 1).click();
  await toolbar(page).getByRole('button', { name: 'Delete selected' }).click();
  await expect(page.getByText('Deleted 2 contacts')).toBeVisible();
  await expect(page.getByText('Deleted 2 contacts')).toBeHidden({ timeout: 15_000 });
  await page.reload();
  await expect(grid(page)).toContainText(name(2));
  await expect(grid(page).getByRole('row', { name: new RegExp(`${name(0)}|${name(1)}`) })).toHaveCount(0);
  await expect(page.getByText(`${COUNT - 2} records`)).toBeVisible();
});

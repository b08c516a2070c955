/**
 * Duplicates (issue 14): two records of the same person are listed, flagged on the record, and merged in
 * the compare dialog, found by accessible names; the dialog passes axe.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createContact } from './support/app';

test('a possible duplicate is flagged on the record and merged in the compare dialog', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/settings');
  await page.getByLabel('Department name').fill('Field Sales');
  await page.getByRole('button', { name: 'Add department' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Field Sales' })).toBeVisible();
  await createContact(page, {
    'First name': 'Ada',
    'Last name': 'Lovelace',
    Company: 'Engines',
    Phone: '+44 20 7946 0018',
    Status: 'Active',
  });
  await createContact(page, {
    'First name': 'ADA',
    'Last name': 'lovelace',
    Company: 'engines',
    'Job title': 'Countess',
    Department: 'Field Sales',
    Status: 'Active',
  });

  // The navigation counts the pair; the record says what it may duplicate.
  await expect(page.getByRole('link', { name: 'Duplicates' })).toContainText('1', { timeout: 20_000 });
  const banner = page.getByRole('alert').filter({ hasText: 'Possible duplicate of Ada Lovelace' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Compare' }).click();

  const dialog = page.getByRole('dialog', { name: 'Compare and merge' });
  await expect(dialog).toBeVisible();
  const axe = await new AxeBuilder({ page })
    .include('[role="dialog"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  // Defaults: the older record stays; each differing field takes the newer non-empty value.
  await expect(
    dialog
      .getByRole('radiogroup', { name: 'Record that stays' })
      .getByRole('radio', { name: /^Ada Lovelace, created/ }),
  ).toBeChecked();
  // Values in words: the department by its name, not its id.
  await expect(
    dialog.getByRole('radiogroup', { name: 'Department' }).getByRole('radio', { name: 'Field Sales' }),
  ).toBeChecked();
  await expect(
    dialog.getByRole('radiogroup', { name: 'Job title' }).getByRole('radio', { name: 'Countess' }),
  ).toBeChecked();
  await expect(
    dialog.getByRole('radiogroup', { name: 'Phone' }).getByRole('radio', { name: '+44 20 7946 0018' }),
  ).toBeChecked();
  await dialog
    .getByRole('radiogroup', { name: 'First name' })
    .getByRole('radio', { name: 'Ada', exact: true })
    .check();
  await dialog
    .getByRole('radiogroup', { name: 'Last name' })
    .getByRole('radio', { name: 'Lovelace', exact: true })
    .check();
  await dialog
    .getByRole('radiogroup', { name: 'Company' })
    .getByRole('radio', { name: 'Engines', exact: true })
    .check();
  await dialog.getByRole('button', { name: 'Merge' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ada Lovelace');
  await expect(page.getByText('Merged ADA lovelace (created by', { exact: false })).toBeVisible({
    timeout: 20_000,
  });
  await page.getByRole('link', { name: 'Duplicates' }).click();
  await expect(page.getByText('No possible duplicates')).toBeVisible({ timeout: 20_000 });
});

/**
 * Keyboard use of the whole app in the browser build: global search (Ctrl-K and the app bar button) over
 * contacts and leads with keyboard-navigable results, and the single-key shortcuts listed in the help (?).
 */
import { expect, test } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await page.evaluate(async () => {
    await window.fieldbookE2E!.insertMany('contacts', [
      { id: 'k-1', firstName: 'Élodie', lastName: 'Keyboard', company: 'Shortcut SA', status: 'Active' },
      { id: 'k-2', firstName: 'Elon', lastName: 'Other', status: 'Active' },
    ]);
    await window.fieldbookE2E!.insertMany('leads', [
      { id: 'kl-1', firstName: 'Eloise', lastName: 'Keyboard', company: 'Lead Co', status: 'New' },
    ]);
  });
});

test('Ctrl-K searches contacts and leads together; arrows pick a result and Enter opens it', async ({
  page,
}) => {
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Search everywhere' });
  await expect(input).toBeFocused();
  await input.fill('keyboard');
  const results = page.getByRole('listbox', { name: 'Results' }).getByRole('option');
  await expect(results).toHaveText([/Élodie Keyboard/, /Eloise Keyboard/]);
  await expect(results.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(results.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await results.nth(1).getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/leads\/kl-1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Eloise Keyboard');

  // The app bar button opens the same search; accents are ignored both ways.
  await page.getByRole('button', { name: /Search everywhere/ }).click();
  await page.getByRole('combobox', { name: 'Search everywhere' }).fill('ELODIE');
  await expect(results).toHaveText([/Élodie Keyboard/]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Élodie Keyboard');
});

test('/ focuses the list search, N creates a record, G then P / L / C switch views, ? lists the shortcuts', async ({
  page,
}) => {
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search contacts')).toBeFocused();
  // Typing in a field is typing, not shortcuts.
  await page.keyboard.type('gn?');
  await expect(page.getByLabel('Search contacts')).toHaveValue('gn?');
  await page.getByLabel('Search contacts').fill('');
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).click();

  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await expect(page.getByRole('heading', { name: 'Pipeline', level: 1 })).toBeVisible();
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/leads\/new$/);
  await page.goBack();
  await page.getByRole('heading', { name: 'Pipeline', level: 1 }).click();
  await page.keyboard.press('g');
  await page.keyboard.press('l');
  await expect(page.getByRole('heading', { name: 'Leads', level: 1 })).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('c');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/contacts\/new$/);
  await page.goBack();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).click();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('row', { name: /Search contacts and leads everywhere/ })).toContainText(
    'Ctrl K',
  );
  await expect(help.getByRole('row', { name: /Go to the pipeline/ })).toContainText('G then P');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

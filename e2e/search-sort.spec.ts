/**
 * Search and sort that fit people's names, in the real app over IndexedDB: names from a CRM export with
 * accents and particles sort as people expect, and search ignores case and accents both ways, matches word
 * prefixes in name, email and company, and phone digits whatever their formatting.
 */
import { expect, type Page, test } from '@playwright/test';
import { insertRecords } from './support/app';

const people = [
  { firstName: 'Hana', lastName: 'Yamamoto', company: 'Kyoto Kilns' },
  { firstName: 'Zoë', lastName: 'Adams', company: 'Zeta' },
  { firstName: 'Élodie', lastName: 'Martin', email: 'elodie@exemple.fr', company: 'Ébénisterie Martin' },
  { firstName: 'Elodie', lastName: 'Marchand', company: 'acme' },
  { firstName: 'Pieter', lastName: 'van der Berg', company: 'Berg BV' },
  { firstName: 'Aoife', lastName: 'Ó Súilleabháin', company: 'Ocean Ltd' },
  { firstName: 'Thi', lastName: 'Nguyễn', company: 'Saigon Trading', phone: '+49 30 8794082' },
];

const insertPeople = (page: Page) =>
  insertRecords(
    page,
    'contacts',
    people.map((person, index) => ({ id: `sort-${index}`, status: 'Active', ...person })),
  );

const rowNames = (page: Page) =>
  page
    .getByRole('grid', { name: 'Contacts' })
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') })
    .getByRole('link');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertPeople(page);
});

test('names and companies sort in the order of the user’s language, not by code point', async ({ page }) => {
  await expect(rowNames(page)).toHaveText([
    'Zoë Adams',
    'Elodie Marchand',
    'Élodie Martin',
    'Thi Nguyễn',
    'Aoife Ó Súilleabháin',
    'Pieter van der Berg',
    'Hana Yamamoto',
  ]);
  await page.getByRole('columnheader', { name: 'Company' }).getByRole('button').click();
  await expect(rowNames(page)).toHaveText([
    'Elodie Marchand', // acme
    'Pieter van der Berg', // Berg BV
    'Élodie Martin', // Ébénisterie Martin
    'Hana Yamamoto', // Kyoto Kilns
    'Aoife Ó Súilleabháin', // Ocean Ltd
    'Thi Nguyễn', // Saigon Trading
    'Zoë Adams', // Zeta
  ]);
});

test('search ignores case and accents both ways, matches word prefixes and phone digits, best first', async ({
  page,
}) => {
  const search = page.getByLabel('Search contacts');
  await search.fill('elodie');
  await expect(rowNames(page)).toHaveText(['Elodie Marchand', 'Élodie Martin']);
  await search.fill('ÉLODIE MART');
  await expect(rowNames(page)).toHaveText(['Élodie Martin']);
  await search.fill('nguyen');
  await expect(rowNames(page)).toHaveText(['Thi Nguyễn']);
  await search.fill('30 879');
  await expect(rowNames(page)).toHaveText(['Thi Nguyễn']);
  await search.fill('exemple');
  await expect(rowNames(page)).toHaveText(['Élodie Martin']);
  // Ranked: the name that is "martin" before the company that contains the word.
  await search.fill('mart');
  await expect(rowNames(page)).toHaveText(['Élodie Martin']);
  await search.fill('berg');
  await expect(rowNames(page)).toHaveText(['Pieter van der Berg']);
  await search.fill('ebenisterie');
  await expect(rowNames(page)).toHaveText(['Élodie Martin']);
});

test('the contacts list is one tab stop with arrow keys inside (WAI-ARIA grid); Enter opens the row', async ({
  page,
}) => {
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(rowNames(page)).toHaveCount(people.length);
  await page.getByLabel('Search contacts').focus();
  // From the search box, Tab passes the toolbar's controls and lands in the grid once, on one cell.
  let inGrid = false;
  for (let step = 0; step < 10 && !inGrid; step++) {
    await page.keyboard.press('Tab');
    inGrid = await grid.evaluate((element) => element.contains(document.activeElement));
  }
  expect(inGrid).toBe(true);
  await expect(grid.locator('[tabindex="0"]')).toHaveCount(1);
  await expect(grid.getByRole('gridcell').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(grid.getByRole('row').nth(3).getByRole('gridcell').first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await expect(grid.getByRole('row').nth(2).getByRole('gridcell').last()).toBeFocused();
  // One more Tab leaves the grid: the rows are not tab stops.
  await page.keyboard.press('Tab');
  expect(await grid.evaluate((element) => element.contains(document.activeElement))).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(grid.getByRole('row').nth(2).getByRole('gridcell').last()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Elodie Marchand');
});

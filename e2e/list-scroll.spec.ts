/**
 * Scrolling a long list costs rendering only: no new CSS per row position. Counted, not timed: the style
 * rules in the page before and after scrolling through 400 contacts (a row's position in `sx` made emotion
 * serialize, hash and insert a rule for every row at every position, the largest cost of a scroll frame at
 * 100,000 contacts).
 */
import { expect, test } from '@playwright/test';
import { insertRecords, numberedPeople } from './support/app';

test('scrolling the contacts list adds no style rules per row position', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertRecords(
    page,
    'contacts',
    numberedPeople(400, { idPrefix: 'scroll', firstName: 'Scroll', lastName: 'Person', digits: 3 }),
  );
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('link', { name: 'Scroll Person000' })).toBeVisible();
  const styleRules = () =>
    page.evaluate(() => [...document.styleSheets].reduce((sum, sheet) => sum + sheet.cssRules.length, 0));
  // One pass first, so every kind of cell and hover style has been created once.
  const firstRow = grid.getByRole('row').nth(1);
  await firstRow.hover();
  // Pages of 100 load as the end comes near: wheel on until the last one shows.
  await expect(async () => {
    await page.mouse.wheel(0, 4000);
    await expect(grid.getByRole('link', { name: 'Scroll Person399' })).toBeVisible({ timeout: 500 });
  }).toPass();
  for (let step = 0; step < 10; step++) await page.mouse.wheel(0, -2000);
  await expect(grid.getByRole('link', { name: 'Scroll Person000' })).toBeVisible();
  const before = await styleRules();

  for (let step = 0; step < 20; step++) await page.mouse.wheel(0, 1000);
  await expect(grid.getByRole('link', { name: 'Scroll Person399' })).toBeVisible();
  expect(await styleRules()).toBe(before);
});

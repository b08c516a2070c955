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

test('scrolling to the end of 2,000 contacts reads each about twice, not once per page below it', async ({
  page,
}) => {
  // 2,000 contacts stored, then scrolled through in big wheel steps.
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertRecords(
    page,
    'contacts',
    numberedPeople(2000, { idPrefix: 'deep', firstName: 'Deep', lastName: 'Person', digits: 4 }),
  );
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('link', { name: 'Deep Person0000' })).toBeVisible();
  // Counts the contacts read from IndexedDB from here on (the list reads a page with one getAll on an
  // index; Dexie's cursors count too).
  await page.evaluate(() => {
    const counter = { reads: 0 };
    Object.assign(window, { contactReads: counter });
    const ofContacts = (source: IDBObjectStore | IDBIndex) =>
      (source instanceof IDBIndex ? source.objectStore : source).transaction.db.name.endsWith('--contacts');
    for (const target of [IDBIndex.prototype, IDBObjectStore.prototype]) {
      const getAll = target.getAll;
      target.getAll = function (this: IDBIndex | IDBObjectStore, ...args: Parameters<typeof getAll>) {
        const request = getAll.apply(this, args);
        if (ofContacts(this))
          request.addEventListener('success', () => {
            counter.reads += request.result.length;
          });
        return request;
      };
    }
    const advance = IDBCursor.prototype.continue;
    IDBCursor.prototype.continue = function (this: IDBCursor, ...args: Parameters<typeof advance>) {
      if (ofContacts(this.source as IDBObjectStore | IDBIndex)) counter.reads += 1;
      return advance.apply(this, args);
    };
  });
  await grid.getByRole('row').nth(1).hover();
  await expect(async () => {
    await page.mouse.wheel(0, 20_000);
    await expect(grid.getByRole('link', { name: 'Deep Person1999' })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 90_000 });
  const reads = await page.evaluate(
    () => (window as unknown as { contactReads: { reads: number } }).contactReads.reads,
  );
  // Widening the window by one page of 100 re-read it from the top each time: 100 + 200 + … + 2,000,
  // about 21,000 reads (22,918 counted). Doubling it reads 200 + 400 + … + 3,200, about 6,300.
  expect(reads).toBeLessThan(4 * 2000);
});

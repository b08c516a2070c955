/**
 * The start-up picture (renderer/src/modules/app/utils/firstPaint.ts): a list screen shows the rows its
 * previous start showed within milliseconds, before the app's code has loaded, and gives way to its live
 * rows; the picture is never reachable by keyboard, pointer or assistive technology.
 */
import { expect, type Page, test } from '@playwright/test';
import { insertRecords, numberedPeople } from './support/app';

/**
 * Holds back every script of the app (all but the picture's own) until `release` is called: the picture
 * needs none of the app's code, not even a chunk it shares with it.
 */
async function holdAppBundle(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/assets\/(?!first-paint-)[\w-]+\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const paintedRows = (page: Page) =>
  page.evaluate(
    () =>
      (performance.getEntriesByName('fieldbook:first-paint')[0] as PerformanceMark | undefined)?.detail
        ?.rows as number | undefined,
  );

test.beforeEach(async ({ page }) => {
  await page.goto('/contacts');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertRecords(
    page,
    'contacts',
    ['Ada', 'Bea', 'Cai'].map((firstName, index) => ({
      id: `picture-${index}`,
      firstName,
      lastName: 'Picture',
      status: 'Active',
    })),
  );
  // This start showed an empty list; the next one keeps its three rows as the picture.
  await page.reload();
  await expect(page.getByRole('grid', { name: 'Contacts' }).getByRole('row')).toHaveCount(4);
  await expect
    .poll(() =>
      page.evaluate(() => localStorage.getItem('fieldbook.firstPaint:/contacts')?.includes('Cai Picture')),
    )
    .toBe(true);
});

test('the contacts list starts with the picture of its last start, then its live rows replace it', async ({
  page,
}) => {
  const release = await holdAppBundle(page);
  const reloaded = page.reload();
  // The app's code has not run: what shows is the picture, with the three rows of the last start.
  const picture = page.locator('#fieldbook-first-paint');
  await expect(picture).toBeVisible();
  await expect.poll(() => paintedRows(page)).toBe(3);
  await expect(picture).toHaveAttribute('aria-hidden', 'true');
  expect(await picture.evaluate((host) => (host as HTMLElement).inert)).toBe(true);
  // Nothing in it is there for assistive technology, locators or the keyboard.
  await expect(page.getByRole('grid')).toHaveCount(0);
  await expect(page.getByText('Ada Picture')).toHaveCount(0);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

  release();
  await reloaded;
  await expect(picture).toHaveCount(0);
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('row')).toHaveCount(4);
  await expect(grid.getByRole('link', { name: 'Ada Picture' })).toBeVisible();
});

test('no picture is painted in the other color scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.getByRole('grid', { name: 'Contacts' }).getByRole('row')).toHaveCount(4);
  // The light picture was not painted (the mark is set only when one is).
  expect(await paintedRows(page)).toBeUndefined();
});

test('the picture keeps only the rows in the window and the style rules its markup uses', async ({
  page,
}) => {
  await insertRecords(
    page,
    'contacts',
    numberedPeople(60, { idPrefix: 'many', firstName: 'Many', lastName: 'Row' }),
  );
  await page.reload();
  const grid = page.getByRole('grid', { name: 'Contacts' });
  await expect(grid.getByRole('link', { name: 'Many Row00' })).toBeVisible();
  // The live list renders rows below the window's edge too (the virtualizer's overscan).
  const rows = await grid.evaluate((element) => {
    const records = [...element.querySelectorAll('[role="row"]:not([aria-rowindex="1"])')];
    return {
      rendered: records.length,
      inWindow: records.filter((row) => row.getBoundingClientRect().top < window.innerHeight).length,
    };
  });
  expect(rows.rendered).toBeGreaterThan(rows.inWindow);

  await expect
    .poll(() =>
      page.evaluate(() => localStorage.getItem('fieldbook.firstPaint:/contacts')?.includes('Many Row00')),
    )
    .toBe(true);
  const kept = await page.evaluate(() => {
    const picture = JSON.parse(localStorage.getItem('fieldbook.firstPaint:/contacts')!) as {
      html: string;
      css: string;
    };
    const markup = document.createElement('template');
    markup.innerHTML = picture.html;
    const classNames = new Set(
      [...markup.content.querySelectorAll('[class]')].flatMap((element) => [...element.classList]),
    );
    return {
      rows: markup.content.querySelectorAll('[role="row"]:not([aria-rowindex="1"])').length,
      unusedClasses: [...picture.css.matchAll(/\.(css-[\w-]+)/g)]
        .map((match) => match[1]!)
        .filter((name) => !classNames.has(name)),
    };
  });
  expect(kept).toEqual({ rows: rows.inWindow, unusedClasses: [] });
});

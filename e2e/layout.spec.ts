/**
 * Layout at 1280×800, light and dark, with the long values real data has: no two cells of the contacts
 * list overlap, every clipped cell shows its whole text on hover, and on the pipeline every clipped text of
 * a card has a tooltip while column headings stay on one line.
 */
import { expect, type Page, test } from '@playwright/test';

test.use({ viewport: { width: 1280, height: 800 } });

const contacts = Array.from({ length: 12 }, (_, index) => ({
  id: `layout-c${index}`,
  firstName: index % 2 ? 'Maximiliane' : 'Bartholomew',
  lastName: `Featherstonehaugh-Wolfeschlegel ${index}`,
  email: `maximiliane.featherstonehaugh-${index}@northwind-traders-international.example.com`,
  company: 'Northwind Traders International Holdings GmbH & Co. KG',
  phone: '+49 30 8794082 1234',
  status: index % 3 ? 'Active' : 'Prospect',
}));

const leads = Array.from({ length: 8 }, (_, index) => ({
  id: `layout-l${index}`,
  firstName: 'Bartholomew',
  lastName: `Featherstonehaugh-Wolfeschlegel ${index}`,
  company: 'Northwind Traders International Holdings GmbH & Co. KG',
  status: 'Contacted',
  value: 37159.5 + index * 1_000_000,
}));

async function seed(page: Page) {
  await page.evaluate(
    async ([contactDocs, leadDocs]) => {
      await window.fieldbookE2E!.insertMany('contacts', contactDocs);
      await window.fieldbookE2E!.insertMany('leads', leadDocs);
    },
    [contacts, leads] as const,
  );
}

/** Elements inside `root` whose text is wider than their box (clipped with an ellipsis or hidden). */
function clippedTexts(page: Page, rootSelector: string, itemSelector: string) {
  return page.evaluate(
    ([root, item]) => {
      for (const marked of document.querySelectorAll<HTMLElement>('[data-clipped]'))
        delete marked.dataset.clipped;
      return [...document.querySelectorAll<HTMLElement>(`${root} ${item}`)]
        .filter(
          (element) => element.scrollWidth > element.clientWidth + 1 && (element.textContent ?? '') !== '',
        )
        .map((element, index) => {
          element.dataset.clipped = String(index);
          return { index, text: element.textContent ?? '' };
        });
    },
    [rootSelector, itemSelector] as const,
  );
}

/** Column headers of the list that reach past its right edge (cut off, unreadable). */
function columnsCutOff(page: Page) {
  return page.evaluate(() => {
    const list = document.querySelector('[role=grid]')?.getBoundingClientRect();
    return [...document.querySelectorAll('[role=grid] [role=columnheader]')]
      .filter((cell) => list !== undefined && cell.getBoundingClientRect().right > list.right + 0.5)
      .map((cell) => cell.textContent);
  });
}

test('contacts list and pipeline at 1280×800, light and dark: nothing overlaps, nothing clipped without a way to read it', async ({
  page,
}) => {
  // Three views in two color schemes.
  test.setTimeout(150_000);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await seed(page);
  // One seeded database, both color schemes (fonts and weights differ slightly between them).
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.getByRole('link', { name: 'Contacts' }).click();
    const grid = page.getByRole('grid', { name: 'Contacts' });
    await expect(grid).toContainText('Featherstonehaugh-Wolfeschlegel 11');

    // Cells of a row never overlap: each ends before the next begins.
    const overlaps = await page.evaluate(() =>
      [...document.querySelectorAll('[role=grid] [role=row]')].flatMap((row) => {
        const cells = [...row.querySelectorAll(':scope > [role=gridcell], :scope > [role=columnheader]')];
        return cells.slice(1).flatMap((cell, index) => {
          const previous = (cells[index] as Element).getBoundingClientRect();
          const current = cell.getBoundingClientRect();
          return previous.right > current.left + 0.5
            ? [`${cells[index]?.textContent} | ${cell.textContent}`]
            : [];
        });
      }),
    );
    expect(overlaps).toEqual([]);
    expect(await columnsCutOff(page)).toEqual([]);

    // A clipped cell shows its whole text on hover.
    const clippedCells = await clippedTexts(page, '[role=grid]', '[role=gridcell] > span');
    expect(clippedCells.length).toBeGreaterThan(0);
    for (const { index, text } of clippedCells.slice(0, 8)) {
      const cell = page.locator(`[role=gridcell]:has(> [data-clipped="${index}"])`);
      await cell.hover();
      await expect(cell).toHaveAttribute('title', text);
    }

    await page.getByRole('link', { name: 'Leads' }).click();
    await expect(page.getByRole('grid', { name: 'Leads' })).toContainText(
      'Featherstonehaugh-Wolfeschlegel 7',
    );
    expect(await columnsCutOff(page)).toEqual([]);

    await page.getByRole('link', { name: 'Pipeline' }).click();
    const contacted = page.getByRole('region', { name: /^Contacted/ });
    await expect(contacted).toContainText('Featherstonehaugh-Wolfeschlegel 7');
    // Every clipped text on a card carries its whole text as a tooltip.
    const clippedOnCards = await clippedTexts(page, 'main', '[role=listitem] *');
    const withoutTitle = await page.evaluate(
      (indexes) =>
        indexes.filter((index) => {
          const element = document.querySelector<HTMLElement>(`[data-clipped="${index}"]`);
          return !element?.closest('[title]')?.getAttribute('title');
        }),
      clippedOnCards.map((clipped) => clipped.index),
    );
    expect(withoutTitle.map((index) => clippedOnCards[index]?.text)).toEqual([]);
    // Deal values are never cut, even in the millions.
    expect(clippedOnCards.filter((clipped) => clipped.text.includes('$'))).toEqual([]);
    await expect(contacted).toContainText('$7,037,159.50');
    // Column headings stay on one line.
    const headingHeights = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('main h2')].map((heading) => {
        const lineHeight = Number.parseFloat(getComputedStyle(heading).lineHeight);
        return {
          text: heading.textContent,
          lines: Math.round(heading.getBoundingClientRect().height / lineHeight),
        };
      }),
    );
    expect(headingHeights.filter((heading) => heading.lines > 1)).toEqual([]);
  }
});

test("a pipeline column's count and totals do not overlap with thousands of leads (1280×800)", async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await page.evaluate(() =>
    window.fieldbookE2E!.insertMany(
      'leads',
      Array.from({ length: 1200 }, (_, index) => ({
        id: `many-l${index}`,
        firstName: 'Many',
        lastName: `Lead ${index}`,
        status: 'Contacted',
        value: 1_000_000,
      })),
    ),
  );
  await page.getByRole('link', { name: 'Pipeline' }).click();
  const contacted = page.getByRole('region', { name: /^Contacted \(1200\)/ });
  await expect(contacted).toBeVisible();
  // No two texts of a column's header overlap (the header is what comes before the cards' scroller).
  const overlapping = await page.evaluate(() =>
    [...document.querySelectorAll('main section[aria-label]')].flatMap((column) => {
      const header = column.firstElementChild!;
      const texts = [header, ...header.querySelectorAll('*')].flatMap((element) =>
        [...element.childNodes]
          .filter((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '')
          .map((node) => {
            const range = document.createRange();
            range.selectNodeContents(node);
            return { text: node.textContent!.trim(), box: range.getBoundingClientRect() };
          }),
      );
      return texts.flatMap((a, index) =>
        texts
          .slice(index + 1)
          .filter(
            (b) =>
              a.box.left < b.box.right - 0.5 &&
              b.box.left < a.box.right - 0.5 &&
              a.box.top < b.box.bottom - 0.5 &&
              b.box.top < a.box.bottom - 0.5,
          )
          .map((b) => `${a.text} | ${b.text}`),
      );
    }),
  );
  expect(overlapping).toEqual([]);
  await expect(contacted).toContainText('1,200 leads');
});

/**
 * Two quick drags in a row: the second drop must be written too, and a dropped card must never show in its
 * old column again. Before the fix the optimistic card was dropped as soon as its write resolved, while the
 * column queries re-emitted a moment later; for that moment the card flickered back to the top of "New", so
 * a second drag aimed at the new top card grabbed the old one and its drop was lost.
 */
import { expect, type Locator, type Page, test } from '@playwright/test';
import { openPipelineWithNewCards } from './support/app';

const column = (page: Page, status: string) =>
  page.getByRole('region', { name: new RegExp(`^${status} \\(`) });

async function drag(page: Page, source: Locator, target: Locator) {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(200, to.height / 2), { steps: 12 });
  await page.mouse.up();
}

/**
 * Starts dragging the card `name` of "New" as a rep does (pressed, moved 12 px) and waits until the board
 * has drawn it; the element pressed is `window.pressed` (a drag's pointer events go there). Returns the
 * card's and the "Contacted" column's boxes.
 */
async function startDrag(page: Page, name: string) {
  const card = column(page, 'New').getByRole('listitem').filter({ hasText: name });
  const from = (await card.boundingBox())!;
  const to = (await column(page, 'Contacted').boundingBox())!;
  await page.evaluate(() =>
    document.addEventListener('pointerdown', (event) => Object.assign(window, { pressed: event.target }), {
      capture: true,
      once: true,
    }),
  );
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, { steps: 4 });
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`^${name} is over`) })).toHaveCount(1);
  return { from, to };
}

test('a second quick drag is written too, and a moved card never flickers back', async ({ page }) => {
  await openPipelineWithNewCards(page, 12, { idPrefix: 'drop', firstName: 'Quick', lastName: 'Card' });
  const newColumn = column(page, 'New');
  // Records every time a card that was dragged away shows up in "New" again, and every count the two
  // columns show beside the cards they show (the counts come from totals that follow the write a moment
  // later than the cards; all twelve cards fit in a column's window, so the two must always agree).
  await page.evaluate(() => {
    const seen: string[] = [];
    const counts: string[] = [];
    Object.assign(window, { reappeared: seen, shownCounts: counts });
    const moved = new Set<string>();
    (window as unknown as { markMoved: (name: string) => void }).markMoved = (name) => moved.add(name);
    new MutationObserver(() => {
      const region = [...document.querySelectorAll('section[aria-label^="New ("]')][0];
      for (const name of moved) if (region?.textContent?.includes(name)) seen.push(name);
      const shown = ['New', 'Contacted']
        .map((status) => {
          const section = document.querySelector(`section[aria-label^="${status} ("]`);
          const count = /\((\d+)\)/.exec(section?.getAttribute('aria-label') ?? '')?.[1];
          return `${status} ${count} of ${section?.querySelectorAll('[role="listitem"]').length}`;
        })
        .join(', ');
      if (counts.at(-1) !== shown) counts.push(shown);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  for (const name of ['Quick Card00', 'Quick Card01', 'Quick Card02']) {
    const card = newColumn.getByRole('listitem').filter({ hasText: name });
    await drag(page, card, column(page, 'Contacted'));
    await page.evaluate(
      (moved) => (window as unknown as { markMoved: (n: string) => void }).markMoved(moved),
      name,
    );
    // No waiting for the write: the next drag starts as soon as the card has left "New".
    await expect(newColumn.getByText(name)).toHaveCount(0);
  }
  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(3\)/);
  await expect(newColumn).toHaveAccessibleName(/^New \(9\)/);
  expect(await page.evaluate(() => (window as unknown as { reappeared: string[] }).reappeared)).toEqual([]);
  // Every count shown matched the cards shown beside it, from the drop on.
  const shownCounts = await page.evaluate(() => (window as unknown as { shownCounts: string[] }).shownCounts);
  const disagreeing = shownCounts.filter((shown) =>
    shown.split(', ').some((column) => !/^\w+ (\d+) of \1$/.test(column)),
  );
  expect(disagreeing).toEqual([]);
  expect(shownCounts.at(-1)).toBe('New 9 of 9, Contacted 3 of 3');
  // Written, not only shown: a reload reads them back from IndexedDB.
  await page.reload();
  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(3\)/);
});

test('a drop is written before the board re-renders it: the write does not wait behind that render', async ({
  page,
}) => {
  await openPipelineWithNewCards(page, 3, { idPrefix: 'order', firstName: 'Order', lastName: 'Card' });
  // In the order they happen after the pointer goes up: the move's write reaching the leads' IndexedDB
  // store (its put), and the dropped card showing in its new column.
  await page.evaluate(() => {
    const order: string[] = [];
    let dropped = false;
    Object.assign(window, { dropOrder: order });
    document.addEventListener('pointerup', () => (dropped = true), true);
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (dropped && this.transaction.db.name.endsWith('--leads') && !order.includes('written'))
        order.push('written');
      return put.apply(this, args);
    };
    new MutationObserver(() => {
      const contacted = document.querySelector('section[aria-label^="Contacted ("]');
      if (dropped && !order.includes('shown') && contacted?.textContent?.includes('Order Card00'))
        order.push('shown');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await drag(page, column(page, 'New').getByRole('listitem').first(), column(page, 'Contacted'));
  await expect(column(page, 'Contacted').getByText('Order Card00')).toBeVisible();
  // Before, the drag ended first: React re-rendered the whole board, and only then did the write reach
  // IndexedDB. Now the write starts before the drag ends (dnd-kit's cancelDrop, PipelineBoard.tsx).
  expect(await page.evaluate(() => (window as unknown as { dropOrder: string[] }).dropOrder)).toEqual([
    'written',
    'shown',
  ]);
});

test('a drop lands where the pointer went up, even when the board had not drawn the last moves yet', async ({
  page,
}) => {
  await openPipelineWithNewCards(page, 3, { idPrefix: 'late', firstName: 'Late', lastName: 'Card' });

  // The drag starts as a rep's does, and the board draws it.
  const { to } = await startDrag(page, 'Late Card00');
  // A busy page: the last moves into "Contacted" and the pointer going up are handled one right after the
  // other, with no render between them (the browser delivers input queued behind a long task together).
  await page.evaluate(
    ({ x, y }) => {
      // At the element pressed: the pointer's events go there during a drag (dnd-kit listens on it).
      const pressed = (window as unknown as { pressed: Element }).pressed;
      const at = { clientX: x, clientY: y, bubbles: true, isPrimary: true, pointerId: 1 };
      pressed.dispatchEvent(new PointerEvent('pointermove', { ...at, buttons: 1 }));
      pressed.dispatchEvent(new PointerEvent('pointerup', { ...at, buttons: 0 }));
    },
    { x: to.x + to.width / 2, y: to.y + Math.min(200, to.height / 2) },
  );
  await page.mouse.up();

  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(1\)/);
  await expect(column(page, 'Contacted').getByText('Late Card00')).toBeVisible();
  // Written, not only shown.
  await page.reload();
  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(1\)/);
});

test("a drop lands where the pointer went up, even when dnd-kit's last drawn move still names the card's old place", async ({
  page,
}) => {
  await openPipelineWithNewCards(page, 3, { idPrefix: 'stale', firstName: 'Stale', lastName: 'Card' });
  const { from, to } = await startDrag(page, 'Stale Card00');

  // A busy page, in the order React can run it: a move inside "New" is drawn (rendered and committed) and
  // its effects wait for a later task; the last move, into "Contacted", comes before them; the render of
  // that move runs the waiting effects first (dnd-kit's onDragMove of the move before: "drawn" after the
  // last move) and is committed; the pointer goes up before its own effects, which would tell dnd-kit what
  // the card is over now. Every task yields to the next (the scheduler's clock runs 5 ms per reading), so
  // the effects of a commit wait for a later task, and a commit's DOM change (the overlay's transform) is
  // seen at the end of its task.
  await page.evaluate(
    async ({ inside, target }) => {
      // From a quiet page: what the drag start rendered is on screen.
      await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
      await new Promise<void>((resolve) => {
        const pressed = (window as unknown as { pressed: Element }).pressed;
        const send = (type: string, at: { x: number; y: number }) =>
          pressed.dispatchEvent(
            new PointerEvent(type, {
              clientX: at.x,
              clientY: at.y,
              bubbles: true,
              isPrimary: true,
              pointerId: 1,
              buttons: type === 'pointerup' ? 0 : 1,
            }),
          );
        const realNow = performance.now.bind(performance);
        let skew = 0;
        performance.now = () => {
          skew += 5;
          return realNow() + skew;
        };
        let phase: 'inside drawn' | 'last move drawn' = 'inside drawn';
        const observer = new MutationObserver(() => {
          if (phase === 'inside drawn') {
            phase = 'last move drawn';
            send('pointermove', target);
            return;
          }
          observer.disconnect();
          send('pointerup', target);
          performance.now = realNow;
          resolve();
        });
        observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['style'] });
        send('pointermove', inside);
      });
    },
    {
      inside: { x: from.x + from.width / 2 + 20, y: from.y + from.height / 2 + 20 },
      target: { x: to.x + to.width / 2, y: to.y + Math.min(200, to.height / 2) },
    },
  );
  await page.mouse.up();

  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(1\)/);
  await expect(column(page, 'Contacted').getByText('Stale Card00')).toBeVisible();
  await page.reload();
  await expect(column(page, 'Contacted')).toHaveAccessibleName(/^Contacted \(1\)/);
});

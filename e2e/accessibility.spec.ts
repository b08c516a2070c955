/**
 * Every view, light and dark (following the OS preference): an axe-core scan with no serious or critical
 * violation, and a screenshot per view. Runs write them under test-results/ so tests never dirty the work tree;
 * `UPDATE_SCREENSHOTS=1 npm run test:e2e` refreshes the committed ones in docs/screenshots/ (shown in README).
 */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createContact, fillForm } from './support/app';

const screenshotDir =
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

async function expectAccessible(page: Page, view: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      view,
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  expect(blocking, `${view}: serious or critical accessibility violations`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view is accessible and looks right (${colorScheme})`, async ({ page }) => {
    // Thirteen views, each scanned by axe: minutes on a loaded 2-core machine.
    test.setTimeout(300_000);
    mkdirSync(screenshotDir, { recursive: true });
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1280, height: 800 });

    const check = async (view: string) => {
      // Let transitions (ripples, tooltips, chips) settle so the scan and the picture see the final state.
      await page.waitForTimeout(300);
      await expectAccessible(page, view);
      await page.screenshot({ path: `${screenshotDir}/${view}-${colorScheme}.png` });
    };

    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
    await check('contacts-empty');

    await page.getByRole('button', { name: 'New contact' }).click();
    await fillForm(page, { 'First name': 'Ada', 'Last name': 'Lovelace', Email: 'ada@analytical.example' });
    await check('contact-form');
    await fillForm(page, {
      Company: 'Analytical Engines',
      'Job title': 'Mathematician',
      Phone: '+44 20 7946 0001',
      Status: 'Lead',
      Source: 'Referral',
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await createContact(page, {
      'First name': 'Grace',
      'Last name': 'Hopper',
      Company: 'US Navy',
      Email: 'grace@navy.example',
      Status: 'Active',
      Source: 'Trade show',
    });
    await createContact(page, {
      'First name': 'Alan',
      'Last name': 'Turing',
      Company: 'Bletchley Park',
      Email: 'alan@bletchley.example',
      Status: 'Prospect',
      Source: 'Cold call',
    });

    await page.getByRole('link', { name: 'Contacts' }).click();
    await expect(
      page.getByRole('grid', { name: 'Contacts' }).getByRole('link', { name: 'Ada Lovelace' }),
    ).toBeVisible();
    await check('contacts');

    // The global search (Ctrl-K) with results from contacts and leads, and the shortcuts help (?).
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search everywhere' }).fill('ada');
    await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option').first()).toBeVisible();
    await check('global-search');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).click();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await check('shortcuts-help');
    await page.keyboard.press('Escape');

    await page.getByRole('grid', { name: 'Contacts' }).getByRole('link', { name: 'Ada Lovelace' }).click();
    await expect(page.getByRole('button', { name: 'Lead: Ada Lovelace' })).toBeVisible();
    await check('contact-detail');

    await page.getByRole('button', { name: 'Lead: Ada Lovelace' }).click();
    await expect(page.getByRole('button', { name: 'Contact: Ada Lovelace' })).toBeVisible();
    await check('lead-detail');

    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByLabel('Priority', { exact: true })).toBeVisible();
    await check('lead-form');

    await page.getByRole('link', { name: 'Leads' }).click();
    await expect(
      page.getByRole('grid', { name: 'Leads' }).getByRole('link', { name: 'Ada Lovelace' }),
    ).toBeVisible();
    await check('leads');

    await page.getByRole('link', { name: 'Pipeline' }).click();
    await check('pipeline');

    await page.getByRole('link', { name: 'Today' }).click();
    await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
    await check('today');

    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByLabel('Server URL')).toBeVisible();
    await check('settings');

    await page.getByRole('link', { name: 'Sync issues' }).click();
    await expect(page.getByRole('heading', { name: 'Sync issues', level: 1 })).toBeVisible();
    await check('sync-issues');
  });
}

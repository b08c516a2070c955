import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';

const run = promisify(execFile);

export const syncServerUrl = (): string => `http://127.0.0.1:${process.env.E2E_SERVER_PORT}`;

/** A fresh tenant per scenario keeps scenarios independent while they share one server. */
export function uniqueTenant(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `tsx server/cli.ts token --tenant T --user U`: the new token is the last line of standard output. */
export async function createToken(tenant: string, user: string): Promise<string> {
  const { stdout } = await run('npx', ['tsx', 'server/cli.ts', 'token', '--tenant', tenant, '--user', user], {
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, PORT: process.env.E2E_SERVER_PORT },
  });
  const token = stdout.trim().split('\n').at(-1)?.trim();
  if (!token) throw new Error(`token command printed nothing:\n${stdout}`);
  return token;
}

/** Stores records through the app's database layer (the e2e bridge): the link rules run as for any write. */
export async function insertRecords(
  page: Page,
  collection: 'contacts' | 'leads',
  documents: Record<string, unknown>[],
): Promise<void> {
  await page.evaluate(([name, docs]) => window.fieldbookE2E!.insertMany(name, docs), [
    collection,
    documents,
  ] as const);
}

/**
 * `count` people with ids `${idPrefix}-0`…, first name `firstName`, last name `lastName` followed by the
 * index zero-padded to `digits` (so that name order is index order).
 */
export function numberedPeople(
  count: number,
  {
    idPrefix,
    firstName,
    lastName = '',
    digits = 2,
  }: { idPrefix: string; firstName: string; lastName?: string; digits?: number },
) {
  return Array.from({ length: count }, (_, index) => ({
    id: `${idPrefix}-${index}`,
    firstName,
    lastName: `${lastName}${String(index).padStart(digits, '0')}`,
    status: 'Active',
  }));
}

/**
 * Starts the app, stores `count` leads in "New" named as `numberedPeople` names them, in that order on the
 * board (positions a00, a01, …), and opens the pipeline once its "New" column counts them.
 */
export async function openPipelineWithNewCards(
  page: Page,
  count: number,
  names: { idPrefix: string; firstName: string; lastName: string },
): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await insertRecords(
    page,
    'leads',
    numberedPeople(count, names).map((lead, index) => ({
      ...lead,
      status: 'New',
      position: `a${String(index).padStart(2, '0')}`,
    })),
  );
  await page.getByRole('link', { name: 'Pipeline' }).click();
  await expect(page.getByRole('region', { name: /^New \(/ })).toHaveAccessibleName(
    new RegExp(`^New \\(${count}\\)`),
  );
}

export const syncStatus = (page: Page) =>
  page.getByRole('status').filter({ hasText: /^(Not connected|Offline|Syncing|Synced|Sync error)$/ });

export async function connect(page: Page, token: string): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Server URL').fill(syncServerUrl());
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(syncStatus(page)).toHaveText('Synced', { timeout: 20_000 });
}

export type PersonFields = Partial<
  Record<
    'First name' | 'Last name' | 'Email' | 'Phone' | 'Mobile' | 'Company' | 'Job title' | 'Value',
    string
  >
> & { Status?: string; Source?: string; Priority?: string; Department?: string };

const selectLabels = new Set(['Status', 'Source', 'Priority', 'Department', 'Assigned to']);

export async function fillForm(page: Page, fields: PersonFields): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    const field = page.getByLabel(label, { exact: true });
    if (selectLabels.has(label)) await field.selectOption(value);
    else await field.fill(value);
  }
}

export async function createContact(page: Page, fields: PersonFields): Promise<void> {
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  await fillForm(page, fields);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    [fields['First name'], fields['Last name']].filter(Boolean).join(' '),
  );
}

export async function openContact(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByLabel('Search contacts').fill(name);
  await expect(page.getByText(/^1 matching record$/)).toBeVisible();
  await page.getByRole('grid', { name: 'Contacts' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

export async function openLead(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Leads' }).click();
  await page.getByLabel('Search leads').fill(name);
  await expect(page.getByText(/^1 matching record$/)).toBeVisible();
  await page.getByRole('grid', { name: 'Leads' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/** Value shown for a field label in a detail view's description list. */
export function detailValue(page: Page, label: string) {
  return page.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
}

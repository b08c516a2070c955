/**
 * Switching from another CRM: a Salesforce leads export and a HubSpot contacts export (fixtures written in
 * their real column layouts) recognised from the header row, their statuses, sources and owners
 * translated, imported into the right collection with the links the conversion implies.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';

const fixtures = new URL('../renderer/src/modules/import-export/presets/fixtures/', import.meta.url);

async function chooseFile(page: Page, name: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Import / export' }).click();
  await page.getByLabel('CSV file').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: readFileSync(new URL(name, fixtures)),
  });
}

/** The exports name owners the new team does not have yet: Ann becomes me, Ben nobody. */
async function translateOwners(page: Page) {
  await expect(
    page.getByText(/Assigned to \(column “.*”\): choose what “Ann Smith”, “Ben Ortiz” become\./),
  ).toBeVisible();
  for (const [owner, target] of [
    ['Ann Smith', 'Me'],
    ['Ben Ortiz', 'Nobody (unassigned)'],
  ] as const) {
    await page.getByRole('combobox', { name: `Assigned to for “${owner}”` }).click();
    await page.getByRole('option', { name: target }).click();
  }
}

const dryRun = (page: Page) => page.getByRole('status').filter({ hasText: 'Dry run' });

test('a Salesforce leads export: statuses translated, converted leads get their linked contact', async ({
  page,
}) => {
  // Two imports and four screens: more than the default minute on a loaded 2-core machine.
  test.setTimeout(180_000);
  await chooseFile(page, 'salesforce-leads.csv');
  await expect(page.getByText('Recognised: Salesforce leads export')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Leads' })).toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Field for column Lead Status' })).toHaveText('Status');
  await expect(page.getByRole('combobox', { name: 'Status for “Closed - Converted”' })).toHaveText(
    'Won — converted (also creates its contact)',
  );
  await expect(page.getByRole('combobox', { name: 'Source for “Phone Inquiry”' })).toHaveText('Cold call');
  await translateOwners(page);
  await expect(
    page.getByRole('checkbox', { name: /Also create the contact of each converted lead/ }),
  ).toBeChecked();

  await page.getByRole('button', { name: 'Check rows' }).click();
  await expect(dryRun(page)).toHaveText(
    'Dry run of 5 rows: 5 to create, 0 to update, 0 unchanged, 0 skipped (exist already), 0 refused.',
  );
  await page.getByRole('button', { name: 'Import 5 rows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished' })).toHaveText(
    'Import finished. Created 5 leads, updated 0. Created and linked 2 contacts of converted leads.',
  );

  await page.getByRole('link', { name: 'Leads' }).click();
  const leads = page.getByRole('grid', { name: 'Leads' });
  for (const [name, status] of [
    ['Greta Lindqvist', 'New'],
    ['Tomás Ferreira', 'Contacted'],
    ['Priya Raman', 'Won'],
    ['Lukas Becker', 'Lost'],
    ['Aiko Tanaka', 'Won'],
  ] as const)
    await expect(leads.getByRole('row', { name: new RegExp(name) })).toContainText(status);

  await page.getByRole('link', { name: 'Contacts' }).click();
  const contacts = page.getByRole('grid', { name: 'Contacts' });
  await expect(contacts.getByRole('link')).toHaveCount(2);
  await expect(contacts.getByRole('row', { name: /Priya Raman/ })).toContainText('Active');
  await contacts.getByRole('link', { name: 'Priya Raman' }).click();
  await page.getByRole('button', { name: 'Lead: Priya Raman' }).click();
  await expect(page.getByText('Imported from salesforce-leads.csv')).toBeVisible();

  // The same file again matches every lead by its Lead ID: nothing created, nothing changed.
  await chooseFile(page, 'salesforce-leads.csv');
  await translateOwners(page);
  await page.getByRole('radio', { name: 'Overwrite with the file’s values' }).check();
  await page.getByRole('button', { name: 'Check rows' }).click();
  await expect(dryRun(page)).toHaveText(
    'Dry run of 5 rows: 0 to create, 0 to update, 5 unchanged, 0 skipped (exist already), 0 refused.',
  );
});

test('a HubSpot contacts export (BOM, CRLF, unicode): lifecycle stages become statuses, leads for the Lead ones', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await chooseFile(page, 'hubspot-contacts.csv');
  await expect(page.getByText('Recognised: HubSpot contacts export')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Contacts' })).toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Field for column Lifecycle Stage' })).toHaveText('Status');
  await expect(page.getByText("Not imported: HubSpot's sales status", { exact: false })).toBeVisible();
  await expect(page.getByText('Column “Lead Status” has values that will not be imported.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Status for “Marketing Qualified Lead”' })).toHaveText(
    'Lead',
  );
  await translateOwners(page);

  await page.getByRole('button', { name: 'Check rows' }).click();
  await expect(dryRun(page)).toHaveText(
    'Dry run of 6 rows: 6 to create, 0 to update, 0 unchanged, 0 skipped (exist already), 0 refused.',
  );
  await page.getByRole('button', { name: 'Import 6 rows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import finished' })).toHaveText(
    'Import finished. Created 6 contacts, updated 0.',
  );
  // The import writes from a worker: this window's live counts follow its writes (RxDB multi-instance).
  await expect(page.getByRole('button', { name: 'Export contacts (6)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export leads (2)' })).toBeVisible();

  await page.getByRole('link', { name: 'Contacts' }).click();
  const contacts = page.getByRole('grid', { name: 'Contacts' });
  for (const [name, status] of [
    ['Zoë Ångström', 'Active'],
    ['José Muñoz', 'Lead'],
    ['Wei 张', 'Lead'],
    ['Amélie Dubois', 'Active'],
    ['Oskar Nowak', 'Inactive'],
    ['Ngozi Okafor', 'Active'],
  ] as const)
    await expect(contacts.getByRole('row', { name: new RegExp(name) })).toContainText(status);

  // The two contacts in Lead got their leads from the link rules, and only they did.
  await page.getByRole('link', { name: 'Leads' }).click();
  const leads = page.getByRole('grid', { name: 'Leads' });
  await expect(leads.getByRole('link')).toHaveCount(2);
  await leads.getByRole('link', { name: 'José Muñoz' }).click();
  await expect(page.getByRole('button', { name: 'Contact: José Muñoz' })).toBeVisible();
  await page.getByRole('button', { name: 'Contact: José Muñoz' }).click();
  await expect(page.getByText('Imported from hubspot-contacts.csv')).toBeVisible();
});

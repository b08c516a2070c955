/**
 * The seed's scenarios 1–5 through the UI, by accessible names only: the Contact ↔ Lead link rules as a
 * user sees them on one device (contact detail chip "Lead: …", lead detail chip "Contact: …" and the alert).
 */
import { expect, test } from '@playwright/test';
import { createContact, detailValue, fillForm, openContact, openLead } from './support/app';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
});

test('1: a contact created with status Lead gets its lead, linked both ways, with the auto-created alert', async ({
  page,
}) => {
  await createContact(page, {
    'First name': 'Ada',
    'Last name': 'Lovelace',
    Email: 'ada@example.com',
    Status: 'Lead',
  });

  const leadChip = page.getByRole('button', { name: 'Lead: Ada Lovelace' });
  await expect(leadChip).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Linked lead' }).getByText('New', { exact: true }),
  ).toBeVisible();

  await leadChip.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ada Lovelace');
  await expect(
    page.getByRole('alert').filter({ hasText: 'This lead was automatically created from a contact' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Contact: Ada Lovelace' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Linked contact' }).getByText('Lead', { exact: true }),
  ).toBeVisible();
  await expect(detailValue(page, 'Email')).toHaveText('ada@example.com');

  // The lead is in the leads list too.
  await page.getByRole('link', { name: 'Leads' }).click();
  await expect(
    page.getByRole('grid', { name: 'Leads' }).getByRole('link', { name: 'Ada Lovelace' }),
  ).toBeVisible();
});

test('2: changing a contact to Lead creates its lead', async ({ page }) => {
  await createContact(page, { 'First name': 'Grace', 'Last name': 'Hopper', Status: 'Active' });
  await expect(page.getByText('No linked lead.', { exact: false })).toBeVisible();

  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { Status: 'Lead' });
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('button', { name: 'Lead: Grace Hopper' })).toBeVisible();
});

test('3: a contact going from Lead to Active marks its lead Won', async ({ page }) => {
  await createContact(page, { 'First name': 'Alan', 'Last name': 'Turing', Status: 'Lead' });
  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { Status: 'Active' });
  await page.getByRole('button', { name: 'Save' }).click();

  const linkedLead = page.getByRole('region', { name: 'Linked lead' });
  await expect(linkedLead.getByText('Won', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Lead: Alan Turing' }).click();
  await expect(detailValue(page, 'Status')).toHaveText('Won');
  await expect(page.getByText(/^Converted to a customer/)).toBeVisible();
});

test('4: editing the contact of an open lead copies the data to the lead', async ({ page }) => {
  await createContact(page, {
    'First name': 'Katherine',
    'Last name': 'Johnson',
    Phone: '111',
    Status: 'Lead',
  });
  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { Phone: '+1 555 0100', Company: 'NASA' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(detailValue(page, 'Phone')).toHaveText('+1 555 0100');
  // The edit is in the record's history in words, with its values.
  const history = page.getByRole('region', { name: 'History' });
  const edit = history.getByRole('listitem').filter({ hasText: 'Changed Phone, Company, by you' });
  await expect(edit).toContainText('Phone: 111 → +1 555 0100');

  await page.getByRole('button', { name: 'Lead: Katherine Johnson' }).click();
  await expect(detailValue(page, 'Phone')).toHaveText('+1 555 0100');
  await expect(detailValue(page, 'Company')).toHaveText('NASA');
});

test('5: a lead marked Won makes its contact Active; lead data edits reach the contact', async ({ page }) => {
  await createContact(page, { 'First name': 'Hedy', 'Last name': 'Lamarr', Status: 'Lead' });
  await openLead(page, 'Hedy Lamarr');

  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { 'Job title': 'Inventor', Priority: 'High', Value: '25000' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(detailValue(page, 'Value')).toHaveText((25000).toLocaleString());

  await page.getByRole('button', { name: 'Contact: Hedy Lamarr' }).click();
  await expect(detailValue(page, 'Job title')).toHaveText('Inventor');

  await openLead(page, 'Hedy Lamarr');
  await page.getByRole('button', { name: 'Edit' }).click();
  await fillForm(page, { Status: 'Won' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByRole('region', { name: 'Linked contact' }).getByText('Active', { exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Moved from New to Won');

  await page.getByRole('button', { name: 'Contact: Hedy Lamarr' }).click();
  await expect(detailValue(page, 'Status')).toHaveText('Active');
  await expect(page.getByText(/^Converted from a lead/)).toBeVisible();
});

test('a lead without a contact can be linked to an existing contact (R11)', async ({ page }) => {
  await createContact(page, { 'First name': 'Barbara', 'Last name': 'Liskov', Status: 'Prospect' });
  await page.getByRole('link', { name: 'Leads' }).click();
  await page.getByRole('button', { name: 'New lead' }).click();
  await fillForm(page, { 'First name': 'Barbara', 'Last name': 'Liskov', Company: 'MIT' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Barbara Liskov');
  await expect(page.getByRole('alert').filter({ hasText: 'automatically created' })).toHaveCount(0);

  await page.getByLabel('Contact to link').fill('Lisk');
  await page.getByRole('option', { name: /Barbara Liskov/ }).click();
  await page.getByRole('button', { name: 'Link contact' }).click();

  await expect(page.getByRole('button', { name: 'Contact: Barbara Liskov' })).toBeVisible();
  await page.getByRole('button', { name: 'Contact: Barbara Liskov' }).click();
  await expect(page.getByRole('button', { name: 'Lead: Barbara Liskov' })).toBeVisible();
});

test('a contact can be found by search and deleted after confirmation; its lead stays', async ({ page }) => {
  await createContact(page, {
    'First name': 'Edsger',
    'Last name': 'Dijkstra',
    Company: 'Eindhoven',
    Status: 'Lead',
  });
  await openContact(page, 'Edsger Dijkstra');
  await page.getByRole('button', { name: 'Delete contact' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();

  await page.getByLabel('Search contacts').fill('Eindhoven');
  await expect(page.getByText('No contacts match')).toBeVisible();

  await openLead(page, 'Edsger Dijkstra');
  await expect(page.getByLabel('Contact to link')).toBeVisible();
});

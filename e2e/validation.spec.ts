/** The database layer is the validator; its field-level errors appear next to the fields in the forms. */
import { expect, test } from '@playwright/test';
import { createContact, fillForm } from './support/app';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
});

test('contact form: errors are shown beside each field and nothing is saved', async ({ page }) => {
  await page.getByRole('button', { name: 'New contact' }).click();
  await fillForm(page, { 'First name': '   ', Email: 'not-an-email' });
  await page.getByRole('button', { name: 'Save' }).click();

  const firstName = page.getByLabel('First name', { exact: true });
  const email = page.getByLabel('Email', { exact: true });
  await expect(firstName).toHaveAttribute('aria-invalid', 'true');
  await expect(firstName).toHaveAccessibleDescription('First name is required');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription('Not a valid email address');
  await expect(page.getByLabel('Last name', { exact: true })).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New contact');

  // Fixing the fields saves the contact.
  await fillForm(page, { 'First name': 'Valid', Email: 'valid@example.com' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Valid');
});

test('a duplicate email (case-insensitive) is refused on the Email field', async ({ page }) => {
  await createContact(page, { 'First name': 'First', Email: 'dup@example.com', Status: 'Active' });
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  await fillForm(page, { 'First name': 'Second', Email: ' DUP@example.com ' });
  await page.getByRole('button', { name: 'Save' }).click();

  const email = page.getByLabel('Email', { exact: true });
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/already used by contact/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New contact');
});

test('lead form: a negative value is refused on the Value field', async ({ page }) => {
  await page.getByRole('link', { name: 'Leads' }).click();
  await page.getByRole('button', { name: 'New lead' }).click();
  await fillForm(page, { 'First name': 'Negative', Value: '-5' });
  await page.getByRole('button', { name: 'Save' }).click();
  const value = page.getByLabel('Value', { exact: true });
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(value).toHaveAccessibleDescription('Must not be negative');
});

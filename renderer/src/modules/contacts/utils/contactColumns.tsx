import { withNextWorkColumn } from '@renderer/modules/activity/utils/nextWorkColumn';
import { catalogueColumns } from '@renderer/modules/object-record/utils/catalogueColumns';
import { type Contact, contactFieldCatalogue } from '@shared/schemas';

export const contactPath = (contact: Contact) => `/contacts/${encodeURIComponent(contact.id)}`;

export const contactColumns = withNextWorkColumn(
  catalogueColumns<Contact>(contactFieldCatalogue, contactPath, {
    phone: (contact) => contact.phone || contact.mobile,
  }),
  'contactId',
);

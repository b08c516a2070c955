import { contactFieldCatalogue, formFieldsOf } from '@shared/schemas';

/** The contact form and record page: the catalogue's form fields (labels are a public contract, docs/). */
export const contactFields = formFieldsOf(contactFieldCatalogue);

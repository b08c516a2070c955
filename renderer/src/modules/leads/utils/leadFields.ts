import { formFieldsOf, leadFieldCatalogue } from '@shared/schemas';

/** The lead form and record page: the catalogue's form fields (labels are a public contract, docs/). */
export const leadFields = formFieldsOf(leadFieldCatalogue);

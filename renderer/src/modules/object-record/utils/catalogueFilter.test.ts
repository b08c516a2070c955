import { contactFieldCatalogue, contactStatuses, leadFieldCatalogue } from '@shared/schemas';
import { describe, expect, it } from 'vitest';
import { catalogueFilter } from './catalogueFilter';

describe('catalogueFilter', () => {
  it("names the filter after the field's label and offers the field's options", () => {
    expect(catalogueFilter(contactFieldCatalogue, 'status', 'Any status')).toEqual({
      field: 'status',
      label: 'Status filter',
      options: contactStatuses,
      anyLabel: 'Any status',
    });
    expect(catalogueFilter(leadFieldCatalogue, 'assignedTo', 'Anyone')).toMatchObject({
      label: 'Assigned to filter',
      options: 'teamMembers',
    });
  });

  it('refuses a field without options', () => {
    expect(() => catalogueFilter(contactFieldCatalogue, 'company', 'Any')).toThrow(/not a select field/);
  });
});

import { describe, expect, it } from 'vitest';
import { autoMap, comparableText, duplicateMappings } from './mapping';

describe('autoMap', () => {
  it('maps headers by key, label or alias, ignoring case, spaces and punctuation', () => {
    expect(
      autoMap(
        [
          'First Name',
          'SURNAME',
          'E-mail address',
          'organisation',
          'jobTitle',
          'Mobile phone',
          'Favourite colour',
        ],
        'contacts',
      ),
    ).toEqual({
      'First Name': 'firstName',
      SURNAME: 'lastName',
      'E-mail address': 'email',
      organisation: 'company',
      jobTitle: 'jobTitle',
      'Mobile phone': 'mobile',
      'Favourite colour': null,
    });
  });

  it('maps lead-only fields for leads and not for contacts', () => {
    expect(autoMap(['Priority', 'Deal value'], 'leads')).toEqual({
      Priority: 'priority',
      'Deal value': 'value',
    });
    expect(autoMap(['Priority', 'Deal value'], 'contacts')).toEqual({ Priority: null, 'Deal value': null });
  });

  it('uses each field once; a second column of the same meaning stays unmapped', () => {
    expect(autoMap(['Email', 'E-mail'], 'contacts')).toEqual({ Email: 'email', 'E-mail': null });
  });

  it('recognises the headers of its own export (labels, id and times)', () => {
    const labels = [
      'Id',
      'First name',
      'Last name',
      'Email',
      'Assigned to',
      'Status',
      'Priority',
      'Value',
      'Created at',
      'Updated at',
    ];
    expect(Object.values(autoMap(labels, 'leads'))).toEqual([
      'id',
      'firstName',
      'lastName',
      'email',
      'assignedTo',
      'status',
      'priority',
      'value',
      'createdAt',
      'updatedAt',
    ]);
  });
});

describe('comparableText / duplicateMappings', () => {
  it('keeps letters of any script and digits', () => {
    expect(comparableText(' Téléphone 2 ')).toBe('téléphone2');
  });

  it('lists fields chosen for two columns', () => {
    expect(duplicateMappings({ A: 'email', B: 'email', C: 'phone', D: null })).toEqual(['email']);
  });
});

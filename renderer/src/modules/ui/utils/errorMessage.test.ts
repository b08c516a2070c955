import { newRxError } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it('words an RxDB error by its code, without the parameters RxDB dumps into its message', () => {
    const error = newRxError('LD8', { database: 'fieldbook', collection: '' });
    expect(error.message).toContain('fieldbook');
    expect(errorMessage(error)).toBe('the local database refused the operation (RxDB error LD8)');
  });

  it('keeps the message of other errors and words anything else thrown', () => {
    expect(errorMessage(new Error('Email: not an email'))).toBe('Email: not an email');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage({ status: 500 })).toBe('{"status":500}');
  });
});

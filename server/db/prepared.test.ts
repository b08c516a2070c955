import { describe, expect, it } from 'vitest';
import { backendKinds } from '../testing/server-process';
import { useMigratedStorage } from '../testing/storage';

const SQL = 'SELECT $1::text AS text, $2::bigint AS number, $3::jsonb AS json, $4::text AS nothing';
const hostile = [
  "O'Brien",
  'back\\slash',
  "\\'; DROP TABLE documents; --",
  "'); DELETE FROM tenants; --",
  "E'\\x41'",
  '$1 $$ $tag$',
  'ünïcödé 🙂 \u2028',
  '',
];

for (const { kind, available, label } of backendKinds) {
  describe.skipIf(!available)(`prepared statements read their parameters exactly [${label}]`, () => {
    const opened = useMigratedStorage(kind);

    it('answers as the same statement with bound parameters, every time, in and out of transactions', async () => {
      const { storage } = opened;
      for (const [index, text] of hostile.entries()) {
        const params = [
          text,
          2 ** 53 - 1 - index,
          JSON.stringify({ text, quote: "'", nested: ['\\"'] }),
          null,
        ];
        const expected = await storage.query(SQL, params);
        expect(await storage.query(SQL, params, { prepared: 'prepared_test' })).toEqual(expected);
        const inTransaction = await storage.transaction((tx) =>
          tx.query(SQL, params, { prepared: 'prepared_test' }),
        );
        expect(inTransaction).toEqual(expected);
        expect(expected[0]).toMatchObject({ text, nothing: null });
      }
      // Every text arrived as text: the tables are all there.
      await expect(storage.query('SELECT count(*) FROM documents, tenants')).resolves.toHaveLength(1);
    });

    it('refuses a NUL in a text parameter, as a bound parameter is refused', async () => {
      const params = ['a\u0000b', 1, '{}', null];
      await expect(opened.storage.query(SQL, params)).rejects.toThrow();
      await expect(opened.storage.query(SQL, params, { prepared: 'prepared_test' })).rejects.toThrow();
    });
  });
}

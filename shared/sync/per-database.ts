import type { CrmDatabase } from './crm-database';

/**
 * State a module keeps for each open database, created on first use and dropped with the database object.
 * Lets each module of the rule engine own its state instead of sharing one runtime record.
 */
export function perDatabase<T>(create: (db: CrmDatabase) => T): (db: CrmDatabase) => T {
  const states = new WeakMap<CrmDatabase, T>();
  return (db) => {
    let state = states.get(db);
    if (state === undefined) {
      state = create(db);
      states.set(db, state);
    }
    return state;
  };
}

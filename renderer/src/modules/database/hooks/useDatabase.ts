import type { CrmDatabase } from '@shared/sync';
import { useContext } from 'react';
import { DatabaseContext } from '../components/DatabaseProvider';

export function useDatabase(): CrmDatabase {
  const db = useContext(DatabaseContext);
  if (db === null) throw new Error('useDatabase must be used inside <DatabaseProvider>');
  return db;
}

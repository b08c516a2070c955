import { useContext } from 'react';
import { type SyncConnection, SyncContext } from '../components/SyncProvider';

export function useSync(): SyncConnection {
  const sync = useContext(SyncContext);
  if (sync === null) throw new Error('useSync must be used inside <SyncProvider>');
  return sync;
}

import { useContext } from 'react';
import { type Notify, NotifyContext } from '../components/NotificationProvider';

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (notify === null) throw new Error('useNotify must be used inside <NotificationProvider>');
  return notify;
}

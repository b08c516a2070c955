import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import type { Activity } from '@shared/schemas';
import { useMemo } from 'react';
import { endOfDay } from '../utils/formatDue';
import { useNow } from './useNow';
import { useOpenWork } from './useOpenWork';

export type DueWork = { overdue: Activity[]; today: Activity[]; later: number };

/** The current user's open work: overdue, due later today, and how much is planned after today. */
export function useMyDueWork(): DueWork {
  const db = useDatabase();
  const { open } = useOpenWork();
  const now = useNow();
  return useMemo(() => {
    const mine = open.filter((work) => work.assignedTo === db.crm.userId);
    const dayEnd = endOfDay(now);
    return {
      overdue: mine.filter((work) => work.dueAt < now),
      today: mine.filter((work) => work.dueAt >= now && work.dueAt <= dayEnd),
      later: mine.filter((work) => work.dueAt > dayEnd).length,
    };
  }, [open, db, now]);
}

import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import type { Activity } from '@shared/schemas';
import { createContext, type ReactNode, useMemo } from 'react';
import { map } from 'rxjs';

export type OpenWork = {
  /** Planned work not done yet, soonest first (every team member's). */
  open: readonly Activity[];
  /** The soonest open piece of work of each lead and each contact. */
  nextByLead: ReadonlyMap<string, Activity>;
  nextByContact: ReadonlyMap<string, Activity>;
};

const empty: OpenWork = { open: [], nextByLead: new Map(), nextByContact: new Map() };
export const OpenWorkContext = createContext<OpenWork>(empty);

function firstPerKey(open: readonly Activity[], key: 'leadId' | 'contactId'): Map<string, Activity> {
  const next = new Map<string, Activity>();
  for (const activity of open) {
    const id = activity[key];
    if (id && !next.has(id)) next.set(id, activity);
  }
  return next;
}

/**
 * One live query of open planned work (index `[doneAt, dueAt]`) for the whole window: every lead card,
 * contact row and the Today view read their next steps from it instead of querying per record.
 */
export function OpenWorkProvider({ children }: { children: ReactNode }) {
  const db = useDatabase();
  const openWork$ = useMemo(
    () =>
      db.activities.find({ selector: { doneAt: 0, dueAt: { $gt: 0 } }, sort: [{ dueAt: 'asc' }] }).$.pipe(
        map((docs): OpenWork => {
          const open = docs.map((doc) => doc.toJSON() as Activity);
          return {
            open,
            nextByLead: firstPerKey(open, 'leadId'),
            nextByContact: firstPerKey(open, 'contactId'),
          };
        }),
      ),
    [db],
  );
  const { value } = useObservable(openWork$, empty);
  return <OpenWorkContext.Provider value={value}>{children}</OpenWorkContext.Provider>;
}

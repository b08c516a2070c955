import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { useObservable } from '@renderer/modules/database/hooks/useObservable';
import { TEAM_SETTINGS_ID, type TeamSettings } from '@shared/schemas';
import { teamSettingsWithDefaults } from '@shared/sync/work';
import { createContext, type ReactNode, useMemo } from 'react';
import { map } from 'rxjs';

const defaults = teamSettingsWithDefaults();
export const TeamSettingsContext = createContext<TeamSettings>(defaults);

/** The team's settings (currency, stage probabilities), live and synced; the defaults until saved. */
export function TeamSettingsProvider({ children }: { children: ReactNode }) {
  const db = useDatabase();
  const settings$ = useMemo(
    () =>
      db.teamSettings
        .findOne(TEAM_SETTINGS_ID)
        .$.pipe(map((doc) => (doc ? (doc.toJSON() as TeamSettings) : defaults))),
    [db],
  );
  const { value } = useObservable(settings$, defaults);
  return <TeamSettingsContext.Provider value={value}>{children}</TeamSettingsContext.Provider>;
}

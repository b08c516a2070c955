import type { TeamSettings } from '@shared/schemas';
import { useContext } from 'react';
import { TeamSettingsContext } from '../components/TeamSettingsProvider';

export function useTeamSettings(): TeamSettings {
  return useContext(TeamSettingsContext);
}

import { useTeamSettings } from '@renderer/modules/settings/hooks/useTeamSettings';
import { type MoneyFormat, moneyFormat } from '../utils/moneyFormat';

/** Money in the team's currency. */
export function useMoneyFormat(): MoneyFormat {
  return moneyFormat(useTeamSettings().currency);
}

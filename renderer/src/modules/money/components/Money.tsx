import { useMoneyFormat } from '../hooks/useMoneyFormat';

/** A deal value in the team's currency ("€37,159.50"); nothing for no value. */
export function Money({ value }: { value: number | null }) {
  return <>{useMoneyFormat().exact(value)}</>;
}

import { formatMoney } from '@renderer/modules/ui/utils/formatMoney';

const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** A column total: compact ("2.4M") once it is too long for the column header. */
export function formatTotal(value: number): string {
  return value >= 100_000 ? compactFormat.format(value) : formatMoney(value);
}

import { styled } from '@mui/material/styles';
import { type MouseEventHandler, useEffect, useRef } from 'react';

type SelectBoxProps = {
  checked: boolean;
  /** Some of the rows are selected (the header's box). */
  indeterminate?: boolean;
  /** The accessible name ("Select Ada Lovelace"). */
  label: string;
  onClick?: MouseEventHandler<HTMLInputElement>;
  onChange?: () => void;
};

/**
 * A record list's selection checkbox: the browser's own, in the theme's colour. A row mounts one each time
 * it scrolls into view, and MUI's Checkbox (button base, ripple, icon) was the costliest part of a row.
 * Out of the tab sequence: the grid's cell is the tab stop, and Space on it selects the row.
 */
export function SelectBox({ checked, indeterminate = false, label, onClick, onChange }: SelectBoxProps) {
  const ref = useRef<HTMLInputElement>(null);
  // "Some selected" is a DOM property only (no attribute); the browser then reports the box as mixed.
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <NativeCheckbox
      ref={ref}
      type="checkbox"
      tabIndex={-1}
      aria-label={label}
      checked={checked}
      onClick={onClick}
      // Rows toggle on click, where Shift is known; React still wants a change handler on a checked box.
      onChange={onChange ?? ignoreChange}
    />
  );
}

const ignoreChange = () => {};

const NativeCheckbox = styled('input')(({ theme }) => ({
  // 18 pixels and a 5-pixel margin: the 28-pixel square of MUI's small checkbox, so rows keep their look.
  width: 18,
  height: 18,
  margin: 5,
  verticalAlign: 'middle',
  cursor: 'pointer',
  accentColor: theme.palette.primary.main,
}));

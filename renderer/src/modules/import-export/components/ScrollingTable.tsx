import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import type { ReactNode } from 'react';

type ScrollingTableProps = {
  /** Id of the heading that names the table. */
  labelledBy: string;
  /** Height of the scrolling box; the header row stays in view. */
  maxHeight: number;
  columns: readonly { label: string; width?: number }[];
  /** The body rows. */
  children: ReactNode;
};

/** The import screen's tables (column mapping, value translation, row problems): a compact table whose header row stays put while its body scrolls. */
export function ScrollingTable({ labelledBy, maxHeight, columns, children }: ScrollingTableProps) {
  return (
    <TableContainer sx={{ maxHeight }}>
      <Table size="small" stickyHeader aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            {columns.map((column) => (
              <TableCell key={column.label} sx={column.width ? { width: column.width } : undefined}>
                {column.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>{children}</TableBody>
      </Table>
    </TableContainer>
  );
}

import Button from '@mui/material/Button';
import { ConfirmDialog } from '@renderer/modules/ui/components/ConfirmDialog';
import { useState } from 'react';

export type DeleteRecordButtonProps = {
  /** e.g. "Delete contact". */
  label: string;
  /** What deleting does, in the confirmation. */
  message: string;
  onDelete: () => Promise<void>;
  onError: (error: unknown) => void;
};

export function DeleteRecordButton({ label, message, onDelete, onError }: DeleteRecordButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button color="error" variant="outlined" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        title={`${label}?`}
        message={message}
        confirmLabel="Delete"
        onClose={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          onDelete().catch(onError);
        }}
      />
    </>
  );
}

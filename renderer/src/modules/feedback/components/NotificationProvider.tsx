import Alert, { type AlertColor } from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import { createContext, type ReactNode, useCallback, useMemo, useRef, useState } from 'react';

export type Notification = {
  message: string;
  severity?: AlertColor;
  /** e.g. Undo; clicking it closes the notification. */
  action?: { label: string; onClick: () => void };
  /** How long it stays; errors stay until closed. */
  durationMs?: number;
  /** Runs once when the notification goes away without its action (timeout, close, replaced). */
  onExpire?: () => void;
};

export type Notify = (notification: Notification) => void;

export const NotifyContext = createContext<Notify | null>(null);

const DEFAULT_DURATION_MS = 4000;

type Shown = Notification & { key: number };

/**
 * Short notifications at the bottom of the window: saved, deleted (with Undo), imported, sync problems.
 * One at a time; a new one replaces the current one, which then expires (so a pending delete is applied).
 */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const nextKey = useRef(1);
  const settled = useRef(new Set<number>());

  const settle = useCallback((notification: Shown, acted: boolean) => {
    if (settled.current.has(notification.key)) return;
    settled.current.add(notification.key);
    if (acted) notification.action?.onClick();
    else notification.onExpire?.();
  }, []);

  const notify = useCallback<Notify>(
    (notification) => {
      const key = nextKey.current++;
      setShown((previous) => {
        if (previous) settle(previous, false);
        return { ...notification, key };
      });
    },
    [settle],
  );

  const close = (acted: boolean) => {
    if (!shown) return;
    settle(shown, acted);
    // Only this notification closes: its action may just have shown the next one ("Deletion undone").
    setShown((current) => (current?.key === shown.key ? null : current));
  };

  const value = useMemo(() => notify, [notify]);
  const duration = shown?.durationMs ?? (shown?.severity === 'error' ? null : DEFAULT_DURATION_MS);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <Snackbar
        key={shown?.key}
        open={shown !== null}
        autoHideDuration={duration}
        onClose={(_event, reason) => {
          // A click elsewhere must not cancel an undo window early.
          if (reason !== 'clickaway') close(false);
        }}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert
          severity={shown?.severity ?? 'success'}
          variant="filled"
          onClose={() => close(false)}
          action={
            shown?.action ? (
              <Button color="inherit" size="small" onClick={() => close(true)}>
                {shown.action.label}
              </Button>
            ) : undefined
          }
          sx={{ alignItems: 'center', minWidth: 320 }}
        >
          {shown?.message}
        </Alert>
      </Snackbar>
    </NotifyContext.Provider>
  );
}

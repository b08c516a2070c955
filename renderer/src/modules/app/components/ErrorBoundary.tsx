import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import { Component, type ErrorInfo, type ReactNode, useEffect } from 'react';
import { endFirstPaint } from '../utils/firstPaint';

type ErrorBoundaryProps = { children: ReactNode; title?: string };
type ErrorBoundaryState = { error: unknown; hasError: boolean };

/** Catches render errors so the user reads what went wrong instead of a blank window. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, hasError: false };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error, hasError: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Render error', error, info.componentStack);
  }

  override render() {
    if (!this.state.hasError) return this.props.children;
    return <ErrorPanel title={this.props.title} error={this.state.error} />;
  }
}

export function ErrorPanel({ title, error }: { title?: string | undefined; error: unknown }) {
  // An error must be seen: the start-up picture, if still shown, gives way.
  useEffect(endFirstPaint, []);
  return (
    <Box sx={{ p: 3 }}>
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={() => window.location.reload()}>
            Reload
          </Button>
        }
      >
        <AlertTitle>{title ?? 'Something went wrong'}</AlertTitle>
        {errorMessage(error)}
      </Alert>
    </Box>
  );
}

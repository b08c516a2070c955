import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ErrorPanel } from './ErrorBoundary';

/** Router-level errors (a loader or a page that threw) in words, never a blank window. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    return <ErrorPanel title={`${error.status} ${error.statusText}`} error={error.data} />;
  }
  return <ErrorPanel error={error} />;
}

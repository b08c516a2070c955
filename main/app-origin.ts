/**
 * Where the renderer lives inside the desktop app, and which URLs may leave it. Pure functions (no Electron
 * import) so the policy is unit-tested in Node.
 *
 * The renderer is served from a privileged custom scheme (`app://fieldbook/…`) rather than `file://`:
 * a standard, secure scheme gives the page a real origin (IndexedDB, CSP 'self', origin checks on IPC)
 * and lets the `grantFileProtocolExtraPrivileges` fuse stay off (Electron security checklist §18).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldbook';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The same policy as renderer/index.html's meta tag, sent as a header so it also covers what a meta tag
 * cannot (frame-ancestors). connect-src admits any http(s) origin because the sync server URL is entered
 * by the user at run time; scripts, styles and everything else stay same-origin. Emotion (MUI) injects
 * <style> elements, hence 'unsafe-inline' for styles only — never for scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' http: https:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    // Not a URL at all: callers treat it as "not allowed".
    return null;
  }
}

/** True for URLs of the app's own origin (the only place the window may navigate to or talk IPC from). */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * A link the user clicked that may be handed to the OS browser: http(s) only, no embedded credentials
 * (they would be shown to / sent by another program). Returns the normalized URL or null.
 */
export function externalUrlOrNull(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed === null) return null;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.toString();
}

/**
 * The only permission the app's own page gets: writing to the clipboard (copy an email or a phone number).
 * Everything else — camera, microphone, geolocation, notifications, HID, … — is denied, and nothing is
 * granted to any other origin.
 */
const grantedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string): boolean {
  return grantedPermissions.has(permission) && isAppUrl(requestingUrl);
}

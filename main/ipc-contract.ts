import type { ConnectionSettings } from '@shared/bridge/types';
import { z } from 'zod';

/**
 * zod schemas for everything that crosses the IPC boundary from the renderer. The renderer is treated as
 * untrusted input (a compromised page must not be able to write arbitrary files or values through main).
 */
const serverUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    if (value === '') return true;
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
      );
    } catch {
      return false;
    }
  }, 'Server URL must be an http(s) URL without credentials');

export const connectionSettingsSchema = z.strictObject({ serverUrl: serverUrlSchema }) satisfies z.ZodType<
  ConnectionSettings,
  unknown
>;

/** Tokens are opaque strings from `npm run server -- token`; reject control characters and absurd lengths. */
export const tokenSchema = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'Access token must be printable ASCII without spaces')
  .nullable();

export const defaultSettings: ConnectionSettings = { serverUrl: '' };

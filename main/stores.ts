import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConnectionSettings } from '@shared/bridge/types';
import { connectionSettingsSchema, defaultSettings } from './ipc-contract';

/** The part of Electron's `safeStorage` the token store needs (injected so it is tested without Electron). */
export type OsEncryption = {
  isEncryptionAvailable(): boolean;
  /** Linux only; 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

export class TokenStorageUnavailableError extends Error {
  constructor() {
    super(
      'This computer offers no OS keychain to encrypt the access token (Electron safeStorage is unavailable), ' +
        'so Fieldbook CRM will not store it in plain text. Unlock or install a keyring ' +
        '(GNOME Keyring / KWallet on Linux) and enter the token again.',
    );
    this.name = 'TokenStorageUnavailableError';
  }
}

export class TokenUnreadableError extends Error {
  constructor(cause: unknown) {
    super(
      'The stored access token could not be decrypted (the OS keychain changed?). Enter it again in Settings.',
      {
        cause,
      },
    );
    this.name = 'TokenUnreadableError';
  }
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Write-then-rename so a crash mid-write never leaves a truncated file behind. */
async function writeFileAtomically(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, path);
}

export type SettingsStore = {
  read(): Promise<ConnectionSettings>;
  write(settings: ConnectionSettings): Promise<void>;
};

/** Connection settings as JSON in the user-data directory. */
export function createSettingsStore(directory: string, warn: (message: string) => void): SettingsStore {
  const path = join(directory, 'settings.json');
  return {
    async read() {
      let raw: string;
      try {
        raw = await readFile(path, 'utf8');
      } catch (error) {
        if (isMissingFile(error)) return { ...defaultSettings };
        throw error;
      }
      try {
        const parsed = connectionSettingsSchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        warn(`Ignoring invalid settings in ${path}: ${parsed.error.message}`);
      } catch (error) {
        warn(`Ignoring unreadable settings in ${path}: ${String(error)}`);
      }
      return { ...defaultSettings };
    },
    async write(settings) {
      await writeFileAtomically(
        path,
        `${JSON.stringify(connectionSettingsSchema.parse(settings), null, 2)}\n`,
      );
    },
  };
}

export type TokenStore = {
  read(): Promise<string | null>;
  write(token: string | null): Promise<void>;
  /** False when tokens cannot be stored encrypted (the UI tells the user). */
  canEncrypt(): boolean;
};

/** The access token, encrypted with the OS keychain (safeStorage) and never written in plain text. */
export function createTokenStore(directory: string, encryption: OsEncryption): TokenStore {
  const path = join(directory, 'access-token.bin');
  const canEncrypt = () =>
    encryption.isEncryptionAvailable() && encryption.getSelectedStorageBackend?.() !== 'basic_text';
  return {
    canEncrypt,
    async read() {
      let encrypted: Buffer;
      try {
        encrypted = await readFile(path);
      } catch (error) {
        if (isMissingFile(error)) return null;
        throw error;
      }
      if (!canEncrypt()) throw new TokenStorageUnavailableError();
      try {
        return encryption.decryptString(encrypted);
      } catch (error) {
        throw new TokenUnreadableError(error);
      }
    },
    async write(token) {
      if (token === null) {
        await rm(path, { force: true });
        return;
      }
      if (!canEncrypt()) throw new TokenStorageUnavailableError();
      await writeFileAtomically(path, encryption.encryptString(token));
    },
  };
}

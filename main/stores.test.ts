import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSettingsStore,
  createTokenStore,
  type OsEncryption,
  TokenStorageUnavailableError,
  TokenUnreadableError,
} from './stores';

/** A reversible stand-in for the OS keychain: XOR with a key, so ciphertext never equals plaintext. */
function fakeKeychain(options: { available?: boolean; backend?: string } = {}): OsEncryption {
  const xor = (buffer: Buffer) => Buffer.from(buffer.map((byte) => byte ^ 0x5a));
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plainText) => Buffer.concat([Buffer.from('ENC1'), xor(Buffer.from(plainText, 'utf8'))]),
    decryptString: (encrypted) => {
      if (!encrypted.subarray(0, 4).equals(Buffer.from('ENC1'))) throw new Error('bad ciphertext');
      return xor(encrypted.subarray(4)).toString('utf8');
    },
  };
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fieldbook-main-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('token store', () => {
  it('round-trips the token and never writes it in plain text', async () => {
    const store = createTokenStore(directory, fakeKeychain());
    expect(await store.read()).toBeNull();
    await store.write('fbk_secret-token-123');
    expect(await store.read()).toBe('fbk_secret-token-123');
    for (const file of await readdir(directory)) {
      expect((await readFile(join(directory, file))).includes('fbk_secret-token-123')).toBe(false);
    }
    await store.write(null);
    expect(await store.read()).toBeNull();
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses to store a token when the OS offers no encryption', async () => {
    for (const keychain of [fakeKeychain({ available: false }), fakeKeychain({ backend: 'basic_text' })]) {
      const store = createTokenStore(directory, keychain);
      expect(store.canEncrypt()).toBe(false);
      await expect(store.write('fbk_secret')).rejects.toBeInstanceOf(TokenStorageUnavailableError);
      expect(await readdir(directory)).toEqual([]);
    }
  });

  it('reports a token it cannot decrypt instead of returning garbage', async () => {
    await writeFile(join(directory, 'access-token.bin'), 'not encrypted by us');
    await expect(createTokenStore(directory, fakeKeychain()).read()).rejects.toBeInstanceOf(
      TokenUnreadableError,
    );
  });
});

describe('settings store', () => {
  it('returns defaults, then what was written', async () => {
    const store = createSettingsStore(directory, vi.fn());
    expect(await store.read()).toEqual({ serverUrl: '' });
    await store.write({ serverUrl: ' https://sync.example.com ' });
    expect(await store.read()).toEqual({ serverUrl: 'https://sync.example.com' });
  });

  it('refuses settings that are not an http(s) server URL', async () => {
    const store = createSettingsStore(directory, vi.fn());
    for (const serverUrl of ['file:///etc', 'javascript:alert(1)', 'https://u:p@host/', 'x'.repeat(3000)]) {
      await expect(store.write({ serverUrl })).rejects.toThrow();
    }
    await expect(store.write({ serverUrl: 'http://x', extra: 1 } as never)).rejects.toThrow();
  });

  it('falls back to defaults with a warning when the file is corrupt', async () => {
    const warn = vi.fn();
    await writeFile(join(directory, 'settings.json'), '{ not json');
    expect(await createSettingsStore(directory, warn).read()).toEqual({ serverUrl: '' });
    expect(warn).toHaveBeenCalledOnce();
  });
});

import { describe, expect, it } from 'vitest';
import { createWebBridge } from './index.web';

/** Just enough of the Web Storage API for the bridge. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('web bridge', () => {
  it('keeps settings and token in the given storage, and forgets the token on null', async () => {
    const storage = memoryStorage();
    const bridge = createWebBridge(storage);
    expect(bridge.platform).toBe('web');
    expect(await bridge.getSettings()).toEqual({ serverUrl: '' });
    expect(await bridge.getToken()).toBeNull();

    await bridge.saveSettings({ serverUrl: 'http://127.0.0.1:8787' });
    await bridge.setToken('secret');
    const again = createWebBridge(storage);
    expect(await again.getSettings()).toEqual({ serverUrl: 'http://127.0.0.1:8787' });
    expect(await again.getToken()).toBe('secret');

    await again.setToken(null);
    expect(await bridge.getToken()).toBeNull();
  });

  it('reads unreadable stored settings as empty instead of failing start-up', async () => {
    const storage = memoryStorage();
    storage.setItem('fieldbook.settings', '{not json');
    expect(await createWebBridge(storage).getSettings()).toEqual({ serverUrl: '' });
  });
});

import { describe, expect, it } from 'vitest';
import { adoptConnectionFromFragment, createWebBridge } from './browser-storage';

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

  describe('connection link from npm start', () => {
    function page(hash: string) {
      const replaced: string[] = [];
      const location = { hash, pathname: '/', search: '' } as Location;
      const history = {
        state: null,
        replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
      };
      return { location, history: history as unknown as History, replaced };
    }

    it('stores server and token from the fragment and strips it from the address bar', async () => {
      const storage = memoryStorage();
      const { location, history, replaced } = page('#server=http%3A%2F%2F127.0.0.1%3A8787&token=fbk_abc');
      expect(adoptConnectionFromFragment(storage, location, history)).toBe(true);
      expect(replaced).toEqual(['/']);
      const bridge = createWebBridge(storage);
      expect(await bridge.getSettings()).toEqual({ serverUrl: 'http://127.0.0.1:8787' });
      expect(await bridge.getToken()).toBe('fbk_abc');
    });

    it('ignores fragments without both values and servers that are not http(s)', () => {
      const storage = memoryStorage();
      expect(adoptConnectionFromFragment(storage, page('#/contacts').location, page('').history)).toBe(false);
      const bad = page('#server=javascript%3Aalert(1)&token=t');
      expect(adoptConnectionFromFragment(storage, bad.location, bad.history)).toBe(false);
      expect(bad.replaced).toEqual(['/']);
      expect(storage.length).toBe(0);
    });
  });
});

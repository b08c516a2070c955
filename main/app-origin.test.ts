import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  externalUrlOrNull,
  isAppUrl,
  isPermissionGranted,
} from './app-origin';

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://fieldbook/contacts/42?tab=1#x')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('https://fieldbook/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://fieldbook.evil.com/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});

describe('externalUrlOrNull', () => {
  it('lets http(s) links through to the OS browser', () => {
    expect(externalUrlOrNull('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(externalUrlOrNull('http://example.com')).toBe('http://example.com/');
  });
  it('refuses other schemes and embedded credentials', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'ms-msdt:/id',
      'app://fieldbook/index.html',
      'https://user:secret@example.com/',
      'garbage',
    ]) {
      expect(externalUrlOrNull(url), url).toBeNull();
    }
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  it('allows scripts from the app origin only', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
  it('forbids plugins, base rewriting, form posts and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('isPermissionGranted', () => {
  it('grants only clipboard writes, and only to the app origin', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', `${APP_ORIGIN}/contacts`)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://example.com')).toBe(false);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'openExternal',
    ]) {
      expect(isPermissionGranted(permission, APP_ORIGIN), permission).toBe(false);
    }
  });
});

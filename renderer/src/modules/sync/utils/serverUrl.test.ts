import { describe, expect, it } from 'vitest';
import { normalizeServerUrl } from './serverUrl';

describe('normalizeServerUrl', () => {
  it('adds http:// to a bare host and drops trailing slashes', () => {
    expect(normalizeServerUrl(' sync.example.com:8787/ ')).toBe('http://sync.example.com:8787');
    expect(normalizeServerUrl('https://sync.example.com/team//')).toBe('https://sync.example.com/team');
  });

  it('refuses other schemes and unparsable input in words', () => {
    expect(() => normalizeServerUrl('ftp://sync.example.com')).toThrow('must start with http:// or https://');
    expect(() => normalizeServerUrl('http://')).toThrow('is not a valid server URL');
  });
});

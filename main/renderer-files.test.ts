import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, rendererFileFor } from './renderer-files';

const root = resolve('/opt/fieldbook/renderer');

describe('rendererFileFor', () => {
  it('maps app URLs to files of the renderer build', () => {
    expect(rendererFileFor(root, 'app://fieldbook/index.html')).toBe(join(root, 'index.html'));
    expect(rendererFileFor(root, 'app://fieldbook/assets/index-abc.js?v=1')).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
  });
  it('serves index.html for client-side routes', () => {
    expect(rendererFileFor(root, 'app://fieldbook/')).toBe(join(root, 'index.html'));
    expect(rendererFileFor(root, 'app://fieldbook/contacts/42')).toBe(join(root, 'index.html'));
  });
  it('never leaves the renderer directory', () => {
    for (const url of [
      'app://fieldbook/../../etc/passwd.txt',
      'app://fieldbook/%2e%2e/%2e%2e/etc/passwd.txt',
      'app://fieldbook/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://fieldbook/a%5c..%5c..%5csecret.txt',
      'app://fieldbook/x%00.js',
      'app://fieldbook/%E0%A4%A.js',
      'app://elsewhere/index.html',
      'file:///etc/passwd',
    ]) {
      const file = rendererFileFor(root, url);
      if (file !== null) expect(file.startsWith(`${root}/`), `${url} → ${file}`).toBe(true);
    }
    expect(rendererFileFor(root, 'app://fieldbook/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeNull();
    expect(rendererFileFor(root, 'app://elsewhere/index.html')).toBeNull();
  });
});

describe('contentTypeOf', () => {
  it('names the types the renderer build emits', () => {
    expect(contentTypeOf('a/index.html')).toMatch(/^text\/html/);
    expect(contentTypeOf('a/x.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('a/x.css')).toMatch(/^text\/css/);
    expect(contentTypeOf('a/x.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a/x.unknown')).toBe('application/octet-stream');
  });
});

/**
 * The start-up picture: what a list screen showed once its data had loaded is kept (its markup and the
 * style rules it used) and painted at the next start of the same screen within a few milliseconds of the
 * page loading, long before the app's code has run and its database has opened. The live screen replaces
 * it as soon as it has its own data (`endFirstPaint`).
 *
 * The picture is a closed shadow root over the page, inert and hidden from assistive technology: nothing
 * in it can be clicked, focused, read out or found twice (by tests either). It shows what the screen held
 * when the picture was taken (the start of the previous session), for the moment until the live data has
 * loaded. Hand-written: it must run before any library has loaded.
 *
 * Its painting half runs as the classic script built from `first-paint.ts` (vite.config.ts), from <head>,
 * before the app's bundle: no imports.
 */

/** Screens the picture is taken of; `/` and `index.html` start on the contacts. */
const PICTURED_PATHS = ['/contacts', '/leads', '/pipeline'];
const STORAGE_PREFIX = 'fieldbook.firstPaint:';
/** Bump when the picture's format changes: older pictures are then ignored. */
const FORMAT = 1;
/** A picture larger than this (characters) is not kept: painting it would cost more than it saves. */
const MAX_PICTURE_CHARS = 1_500_000;
const HOST_ID = 'fieldbook-first-paint';

type Picture = {
  format: number;
  scheme: 'light' | 'dark';
  /** Inherited styles of the page's body (the picture's shadow root does not see the page's rules). */
  body: { background: string; color: string; font: string };
  html: string;
  css: string;
};

function currentPath(): string {
  const path = window.location.pathname;
  return path === '/' || path === '/index.html' ? '/contacts' : path;
}

function currentScheme(): 'light' | 'dark' {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Paints the kept picture of this screen, if there is one for this color scheme; called once, at start. */
export function paintFirstPaint(): void {
  const path = currentPath();
  if (!PICTURED_PATHS.includes(path)) return;
  const stored = window.localStorage.getItem(STORAGE_PREFIX + path);
  if (stored === null) return;
  let picture: Picture;
  try {
    picture = JSON.parse(stored) as Picture;
  } catch (error) {
    console.warn('The start-up picture could not be read; it is dropped', error);
    window.localStorage.removeItem(STORAGE_PREFIX + path);
    return;
  }
  if (picture.format !== FORMAT || picture.scheme !== currentScheme()) return;
  const host = document.createElement('div');
  host.id = HOST_ID;
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  Object.assign(host.style, {
    position: 'fixed',
    inset: '0',
    zIndex: '2147483647',
    overflow: 'hidden',
    boxSizing: 'border-box',
    background: picture.body.background,
    color: picture.body.color,
    font: picture.body.font,
  });
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = picture.css;
  const content = document.createElement('div');
  content.innerHTML = picture.html;
  root.append(style, content);
  // Run from <head>, where there is no <body> yet: the host goes after <head>, the parser adds <body> after it.
  if (document.body) document.body.prepend(host);
  else document.documentElement.append(host);
  // Read by bench/: the frame the picture is painted in (as the bench's floor page is timed).
  requestAnimationFrame(() =>
    performance.mark('fieldbook:first-paint', {
      detail: {
        path,
        rows: content.querySelectorAll('[role="row"]:not([aria-rowindex="1"])').length,
        cards: content.querySelectorAll('[role="listitem"]').length,
      },
    }),
  );
}

/** Removes the picture (the live screen has its data, or failed to get it); safe to call at any time. */
export function endFirstPaint(): void {
  document.getElementById(HOST_ID)?.remove();
}

/**
 * Keeps what the screen shows now as the picture of its next start: the app's markup, without the rows and
 * cards outside the window (a virtualized list renders some beyond its edge), and the style rules emotion
 * inserted that this markup uses (MUI's styles live in CSSOM rules, not in the <style> elements' text).
 */
export function takeFirstPaint(): void {
  try {
    keepPicture();
  } catch (error) {
    // Storage full or unavailable: the next start is without a picture, nothing else is affected.
    console.warn('The start-up picture could not be kept', error);
  }
}

/** Emotion's class names in a rule's selector (`.css-1x2y3z`, `.css-1x2y3z-MuiChip-root`). */
const GENERATED_CLASS = /\.(css-[\w-]+)/g;

/** A copy of `app` without its rows and list items that lie outside the window. */
function inView(app: HTMLElement): HTMLElement {
  const copy = app.cloneNode(true) as HTMLElement;
  const items = '[role="row"], [role="listitem"]';
  const copies = copy.querySelectorAll(items);
  app.querySelectorAll(items).forEach((item, index) => {
    const box = item.getBoundingClientRect();
    if (box.top >= window.innerHeight || box.bottom <= 0) copies[index]?.remove();
  });
  return copy;
}

function keepPicture(): void {
  const path = currentPath();
  const app = document.getElementById('root');
  if (!PICTURED_PATHS.includes(path) || app === null) return;
  const shown = inView(app);
  const classNames = new Set<string>();
  for (const element of shown.querySelectorAll('[class]'))
    for (const name of element.classList) classNames.add(name);
  const rules: string[] = [];
  for (const sheet of document.styleSheets) {
    if (!(sheet.ownerNode instanceof HTMLStyleElement) || !sheet.ownerNode.dataset.emotion) continue;
    for (const rule of sheet.cssRules) {
      // Emotion's rules are each for one generated class (global rules name none): kept when it is used.
      const generated = [...rule.cssText.matchAll(GENERATED_CLASS)].map((match) => match[1]!);
      if (generated.every((name) => classNames.has(name))) rules.push(rule.cssText);
    }
  }
  const body = getComputedStyle(document.body);
  const picture: Picture = {
    format: FORMAT,
    scheme: currentScheme(),
    body: { background: body.backgroundColor, color: body.color, font: body.font },
    html: shown.innerHTML,
    css: rules.join('\n'),
  };
  const text = JSON.stringify(picture);
  if (text.length > MAX_PICTURE_CHARS) {
    window.localStorage.removeItem(STORAGE_PREFIX + path);
    return;
  }
  window.localStorage.setItem(STORAGE_PREFIX + path, text);
}

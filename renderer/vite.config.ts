import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server's React refresh preamble is an inline script and HMR talks over ws:, both of which the
 * production CSP forbids. Relax the policy for `vite dev` only; built files keep the strict one.
 */
function devCsp(): Plugin {
  return {
    name: 'fieldbook-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self' http: https:", "connect-src 'self' http: https: ws:");
    },
  };
}

const FIRST_PAINT_SOURCE = 'src/first-paint.ts';

/**
 * The start-up picture's script (src/first-paint.ts) must run before the app's bundle has loaded. Listed in
 * index.html, Vite would merge it into the app's entry, which runs only once all of the app's code has
 * loaded; so it is an entry of its own, and its own <script> goes before the app's.
 */
function firstPaintEntry(): Plugin {
  return {
    name: 'fieldbook-first-paint',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunk = context.bundle
          ? Object.values(context.bundle).find(
              (output) => output.type === 'chunk' && output.isEntry && output.name === 'first-paint',
            )
          : undefined;
        if (context.bundle && chunk === undefined) throw new Error('the first-paint entry was not built');
        const src = chunk ? `/${chunk.fileName}` : `/${FIRST_PAINT_SOURCE}`;
        // Before the first module script (the app's), after the CSP, which must cover it too.
        const firstModule = html.indexOf('<script type="module"');
        if (firstModule < 0) throw new Error('index.html has no module script to put the first paint before');
        const tag = `<script type="module" crossorigin src="${src}"></script>\n    `;
        return html.slice(0, firstModule) + tag + html.slice(firstModule);
      },
    },
  };
}

/** Which host the renderer is built for: `--mode electron` (the desktop app) or `--mode web` (`npm run web`). */
export type RendererTarget = 'electron' | 'web';

function targetOf(mode: string): RendererTarget {
  if (mode === 'electron' || mode === 'web') return mode;
  throw new Error(
    `Build the renderer with --mode electron (desktop app) or --mode web (browser), not "${mode}".`,
  );
}

export default defineConfig(({ mode }) => ({
  root: rendererRoot,
  // Absolute asset paths: a reload of a deep link (/contacts/42) must still find /assets/… in the browser,
  // and the desktop app serves the same files from the root of its app://fieldbook origin (main/renderer-files.ts).
  base: '/',
  plugins: [react(), devCsp(), firstPaintEntry()],
  // @shared/… and @renderer/… come from the tsconfig paths (tsconfig.base.json), the one place they are defined.
  resolve: {
    tsconfigPaths: true,
    // Platform adapters as sibling files (`bridge/index.electron.ts`, `bridge/index.web.ts`): the target's
    // file wins, so each bundle holds only its own host's code.
    extensions: [`.${targetOf(mode)}.ts`, '.mjs', '.js', '.mts', '.ts', '.jsx', '.tsx', '.json'],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        'first-paint': fileURLToPath(new URL(`./${FIRST_PAINT_SOURCE}`, import.meta.url)),
      },
    },
  },
  server: { port: Number(process.env.PORT ?? 5173) },
  preview: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: process.env.HOST ?? '127.0.0.1',
  },
}));

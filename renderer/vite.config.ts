import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin, type Rolldown } from 'vite';

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
 * The start-up picture's script (src/first-paint.ts) must paint before the app's bundle has loaded. As a
 * module entry it waited for its share of the module chunks and for the app's modules fetched beside it
 * (in the bench at 100,000 contacts its frame came 80–150 ms after its file had arrived). So it is built on
 * its own, as one classic script without imports, and its tag goes first in <head>: the browser fetches it
 * before the app's modules, and it runs while the page is parsed, before any module script. In `vite dev`
 * it stays a module script.
 */
function firstPaintScript(): Plugin {
  let fileName: string | undefined;
  return {
    name: 'fieldbook-first-paint',
    async buildStart() {
      if (this.environment.mode !== 'build') return;
      const result = await build({
        configFile: false,
        root: rendererRoot,
        logLevel: 'silent',
        build: {
          write: false,
          emptyOutDir: false,
          minify: true,
          lib: { entry: FIRST_PAINT_SOURCE, formats: ['iife'], name: 'fieldbookFirstPaint' },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
      const chunk = outputs.flatMap((output) => output.output).find((file) => file.type === 'chunk');
      if (chunk === undefined) throw new Error('the first-paint script was not built');
      const hash = createHash('sha256').update(chunk.code).digest('hex').slice(0, 10);
      fileName = `assets/first-paint-${hash}.js`;
      this.emitFile({ type: 'asset', fileName, source: chunk.code });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (context.bundle && fileName === undefined) throw new Error('the first-paint script was not built');
        const tag = context.bundle
          ? `<script src="/${fileName}"></script>`
          : `<script type="module" src="/${FIRST_PAINT_SOURCE}"></script>`;
        // Before the app's module scripts and preloads, after the CSP, which must cover it too.
        const firstModule = html.search(/<script type="module"|<link rel="modulepreload"/);
        if (firstModule < 0) throw new Error('index.html has no module script to put the first paint before');
        return `${html.slice(0, firstModule)}${tag}\n    ${html.slice(firstModule)}`;
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
  plugins: [react(), devCsp(), firstPaintScript()],
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
  },
  server: { port: Number(process.env.PORT ?? 5173) },
  preview: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    host: process.env.HOST ?? '127.0.0.1',
  },
}));

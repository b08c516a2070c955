/** CPU profiles (CDP `Profiler`) of the bench's Chromium summarised by original source (bench/profile-*.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';

export type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
};

/**
 * Self time per original source file (through the source maps of the bundle built into `servedDir`) and per
 * function, top 30 each (`top`); `within`: only the samples from..to ms after the profile's start (a long
 * task).
 */
export function summarise(
  profile: CpuProfile,
  servedDir: string,
  { within, top: count = 30 }: { within?: [number, number]; top?: number } = {},
): void {
  const maps = new Map<string, SourceMapConsumer | null>();
  const consumer = (scriptUrl: string) => {
    if (!maps.has(scriptUrl)) {
      const file = `${servedDir}/assets/${scriptUrl.split('/').pop()}.map`;
      maps.set(
        scriptUrl,
        existsSync(file) ? new SourceMapConsumer(JSON.parse(readFileSync(file, 'utf8'))) : null,
      );
    }
    return maps.get(scriptUrl)!;
  };
  const selfById = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    at += delta;
    if (within && (at < within[0] || at > within[1])) return;
    selfById.set(id, (selfById.get(id) ?? 0) + delta);
  });
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const self = selfById.get(node.id) ?? 0;
    if (self === 0) continue;
    const frame = node.callFrame;
    let file = frame.url === '' ? `(${frame.functionName || 'native'})` : frame.url.split('/').pop()!;
    let name = frame.functionName || '(anonymous)';
    // A frame without a position (lineNumber -1: the worker script itself) keeps its bundle name.
    const map = frame.url.endsWith('.js') && frame.lineNumber >= 0 ? consumer(frame.url) : null;
    if (map) {
      const original = map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
      if (original.source) {
        const source = original.source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
        file = source.startsWith('@')
          ? source.split('/').slice(0, 3).join('/')
          : source.split('/').slice(0, 3).join('/');
        name = `${original.name ?? name} ${source}:${original.line}`;
      }
    }
    byFile.set(file, (byFile.get(file) ?? 0) + self);
    byFunction.set(name, (byFunction.get(name) ?? 0) + self);
  }
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}`);
  console.log('self time by source:');
  console.log(top(byFile).join('\n'));
  console.log('self time by function:');
  console.log(top(byFunction).join('\n'));
}

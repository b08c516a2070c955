/**
 * Draws the app icon (a white "F" on a rounded blue tile, with a sync arc) and writes the PNGs
 * electron-builder picks up: build/icon.png (512) and build/icons/{512x512,256x256}.png (Linux).
 * Hand-written rasterizer + PNG encoder on node:zlib because the repo has no image library and the shape
 * is a handful of primitives; 4×4 supersampling gives smooth edges. Run: `npx tsx build/make-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
const background: Rgba = [21, 101, 192, 255];
const foreground: Rgba = [255, 255, 255, 255];
const accent: Rgba = [255, 193, 7, 255];

/** Shape in unit coordinates (0..1): which colour covers point (x, y), or null for transparent. */
function colourAt(x: number, y: number): Rgba | null {
  const inset = 0.06;
  const radius = 0.2;
  const cx = Math.min(Math.max(x, inset + radius), 1 - inset - radius);
  const cy = Math.min(Math.max(y, inset + radius), 1 - inset - radius);
  if (Math.hypot(x - cx, y - cy) > radius) return null;
  // The letter F: stem and two bars.
  const inStem = x >= 0.3 && x <= 0.42 && y >= 0.24 && y <= 0.76;
  const inTopBar = x >= 0.3 && x <= 0.72 && y >= 0.24 && y <= 0.35;
  const inMiddleBar = x >= 0.3 && x <= 0.62 && y >= 0.45 && y <= 0.55;
  if (inStem || inTopBar || inMiddleBar) return foreground;
  // A quarter arc at the bottom right: the sync mark.
  const distance = Math.hypot(x - 0.56, y - 0.62);
  if (distance >= 0.14 && distance <= 0.2 && x >= 0.56 && y >= 0.62) return accent;
  return background;
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function renderIconPng(size: number, samples = 4): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // leading 0 = no PNG filter
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (colour === null) continue;
          // Premultiplied accumulation so transparent samples do not darken edges.
          for (let channel = 0; channel < 3; channel++) sum[channel]! += colour[channel]! * (colour[3] / 255);
          sum[3]! += colour[3];
        }
      }
      const count = samples * samples;
      const alpha = sum[3]! / count;
      const offset = 1 + px * 4;
      for (let channel = 0; channel < 3; channel++) {
        row[offset + channel] = alpha === 0 ? 0 : Math.round((sum[channel]! / count / alpha) * 255);
      }
      row[offset + 3] = Math.round(alpha);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const buildDir = new URL('./', import.meta.url);
mkdirSync(new URL('icons/', buildDir), { recursive: true });
const large = renderIconPng(512);
writeFileSync(new URL('icon.png', buildDir), large);
writeFileSync(new URL('icons/512x512.png', buildDir), large);
writeFileSync(new URL('icons/256x256.png', buildDir), renderIconPng(256));

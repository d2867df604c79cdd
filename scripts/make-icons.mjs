#!/usr/bin/env node
// Draws the tray and app icons (PNG, anti-aliased) into assets/icons and renderer/public.
// State at a glance: all running = filled disc, some = half disc, none = ring, conflict/failure = ring with a bar.
// Colour PNGs for Linux and Windows; black+alpha `*Template.png` (+ @2x) for the macOS menu bar.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of the glyph at (x, y) in unit coordinates (0..1). */
function glyph(state) {
  return (x, y) => {
    const dx = x - 0.5;
    const dy = y - 0.5;
    const r = Math.hypot(dx, dy);
    const ring = r <= 0.46 && r >= 0.33;
    if (state === 'running') return r <= 0.46;
    if (state === 'some') return ring || (r < 0.33 && dx <= 0);
    if (state === 'none') return ring;
    // alert: ring plus an exclamation mark
    return ring || (Math.abs(dx) < 0.06 && dy > -0.2 && dy < 0.06) || Math.hypot(dx, dy - 0.17) < 0.065;
  };
}

const COLOURS = { running: [22, 163, 74], some: [217, 119, 6], none: [107, 114, 128], alert: [220, 38, 38] };

function draw(size, state, colour) {
  const inside = glyph(state);
  const buf = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hit = 0;
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++) if (inside((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size)) hit++;
      const o = (y * size + x) * 4;
      buf[o] = colour[0];
      buf[o + 1] = colour[1];
      buf[o + 2] = colour[2];
      buf[o + 3] = Math.round((255 * hit) / (S * S));
    }
  }
  return png(size, buf);
}

const out = path.join(root, 'assets', 'icons');
mkdirSync(out, { recursive: true });
for (const state of Object.keys(COLOURS)) {
  for (const size of [16, 24, 32, 48])
    writeFileSync(path.join(out, `tray-${state}-${size}.png`), draw(size, state, COLOURS[state]));
  writeFileSync(path.join(out, `tray-${state}Template.png`), draw(16, state, [0, 0, 0]));
  writeFileSync(path.join(out, `tray-${state}Template@2x.png`), draw(32, state, [0, 0, 0]));
}
for (const size of [16, 32, 64, 128, 256, 512])
  writeFileSync(path.join(out, `app-${size}.png`), draw(size, 'running', [37, 99, 235]));
mkdirSync(path.join(root, 'renderer', 'public'), { recursive: true });
writeFileSync(path.join(root, 'renderer', 'public', 'icon.png'), draw(64, 'running', [37, 99, 235]));
writeFileSync(
  path.join(root, 'build', 'icon.png'),
  (mkdirSync(path.join(root, 'build'), { recursive: true }), draw(512, 'running', [37, 99, 235])),
);
console.log(`icons written to ${path.relative(root, out)}`);

#!/usr/bin/env node
// Renders a terminal capture (the bytes a terminal received, e.g. from `script`) to a PNG with
// ImageMagick, for the picture in README.md and docs/usage.md. Not part of the package or tests.
//
//   npm run build
//   script -q -e -c 'stty cols 150; TERM=xterm-256color timeout 14 node bin/ktail.js --demo' /tmp/demo.ts
//   node tools/demo-picture.mjs /tmp/demo.ts docs/demo.png [first-line] [line-count]
//
// Understands what ktail writes: SGR colours (16, 256 and true colour), bold, dim and reset.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [input, output, firstArg = '0', countArg = '34'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node tools/demo-picture.mjs CAPTURE OUT.png [first-line] [line-count]');
  process.exit(2);
}

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf';
const SIZE = 14;
const CHAR_W = 8; // DejaVu Sans Mono at 14 px, as ImageMagick advances it (measured: 100 glyphs, 800 px)
const LINE_H = 19;
const PAD = 14;
const COLS = 150;
const BG = [0x1d, 0x1f, 0x21];
const FG = [0xd8, 0xd8, 0xd8];

// xterm's 16 colours
const BASE16 = [
  [0x00, 0x00, 0x00],
  [0xcd, 0x31, 0x31],
  [0x0d, 0xbc, 0x79],
  [0xe5, 0xe5, 0x10],
  [0x24, 0x72, 0xc8],
  [0xbc, 0x3f, 0xbc],
  [0x11, 0xa8, 0xcd],
  [0xe5, 0xe5, 0xe5],
  [0x66, 0x66, 0x66],
  [0xf1, 0x4c, 0x4c],
  [0x23, 0xd1, 0x8b],
  [0xf5, 0xf5, 0x43],
  [0x3b, 0x8e, 0xea],
  [0xd6, 0x70, 0xd6],
  [0x29, 0xb8, 0xdb],
  [0xff, 0xff, 0xff],
];

function color256(n) {
  if (n < 16) return BASE16[n];
  if (n >= 232) {
    const v = 8 + 10 * (n - 232);
    return [v, v, v];
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + 40 * x);
  return [level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6)];
}

const hex = ([r, g, b]) => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** One line → segments of [text, {fg, bold, dim}] */
function segments(line) {
  const out = [];
  let style = { fg: FG, bold: false, dim: false };
  const re = /\x1b\[([0-9;]*)m/g;
  let at = 0;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (m.index > at) out.push([line.slice(at, m.index), style]);
    at = re.lastIndex;
    const p = m[1] === '' ? [0] : m[1].split(';').map(Number);
    style = { ...style };
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      if (c === 0) style = { fg: FG, bold: false, dim: false };
      else if (c === 1) style.bold = true;
      else if (c === 2) style.dim = true;
      else if (c === 22) style = { ...style, bold: false, dim: false };
      else if (c >= 30 && c <= 37) style.fg = BASE16[c - 30];
      else if (c >= 90 && c <= 97) style.fg = BASE16[c - 90 + 8];
      else if (c === 39) style.fg = FG;
      else if (c === 38 && p[i + 1] === 5) {
        style.fg = color256(p[i + 2]);
        i += 2;
      } else if (c === 38 && p[i + 1] === 2) {
        style.fg = [p[i + 2], p[i + 3], p[i + 4]];
        i += 4;
      }
    }
  }
  if (at < line.length) out.push([line.slice(at), style]);
  return out;
}

const text = readFileSync(input, 'utf8')
  .split('\n')
  .filter((l) => !/^Script (started|done) on /.test(l))
  .map((l) => l.replace(/\r$/, '').replace(/\r/g, ''));
const first = Number(firstArg);
const lines = text.slice(first, first + Number(countArg));

const width = Math.ceil(PAD * 2 + COLS * CHAR_W);
const height = PAD * 2 + lines.length * LINE_H + 28;
const mvg = [`viewbox 0 0 ${width} ${height}`, `fill '${hex(BG)}'`, `rectangle 0 0 ${width} ${height}`];
// a title bar, so it reads as a terminal window
mvg.push(`fill '#2d2f31'`, `rectangle 0 0 ${width} 26`);
for (const [i, c] of ['#ff5f56', '#ffbd2e', '#27c93f'].entries()) mvg.push(`fill '${c}'`, `circle ${16 + i * 20},13 ${21 + i * 20},13`);
mvg.push(`font '${FONT}'`, `font-size 13`, `fill '#9a9a9a'`, `text ${width / 2 - 60},18 'ktail --demo'`);
mvg.push(`font-size ${SIZE}`);
const esc = (s) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '%%');
lines.forEach((line, row) => {
  let col = 0;
  const y = 26 + PAD + (row + 1) * LINE_H - 5;
  for (const [t, style] of segments(line)) {
    const visible = [...t].slice(0, Math.max(0, COLS - col)).join('');
    if (visible.length > 0) {
      const fg = style.dim ? style.fg.map((v, k) => (v + BG[k]) / 2) : style.fg;
      mvg.push(`font '${style.bold ? BOLD : FONT}'`, `fill '${hex(fg)}'`, `text ${(PAD + col * CHAR_W).toFixed(1)},${y} '${esc(visible)}'`);
    }
    col += [...t].length;
  }
});
const file = join(tmpdir(), `ktail-demo-${process.pid}.mvg`);
writeFileSync(file, mvg.join('\n'));
// Debian's ImageMagick (apt-get install imagemagick); CONVERT=… to use another
const convert = process.env.CONVERT ?? '/usr/bin/convert';
execFileSync(convert, ['-size', `${width}x${height}`, `mvg:${file}`, '-strip', '-colors', '128', `PNG8:${output}`], { stdio: 'inherit' });
console.log(`${output}: ${width}x${height}, ${lines.length} lines`);

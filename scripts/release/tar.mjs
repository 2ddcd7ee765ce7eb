// A minimal ustar writer, gzipped: the .tar.gz that krew installs from on Linux and macOS. Written
// here rather than by tar(1) so that owner, times and order are fixed on any build host, and the
// same files give the same archive and SHA-256.
import { gzipSync } from 'node:zlib';

function header(name, size, mode) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100); // mode
  h.write('0000000\0', 108); // uid
  h.write('0000000\0', 116); // gid
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124); // size
  h.write('00000000000\0', 136); // mtime: 1970
  h.write('        ', 148); // the checksum counts its own field as spaces
  h.write('0', 156); // a regular file
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** entries: [{ name, data: Buffer, mode }]; returns the .tar.gz file's bytes. */
export function tarGz(entries) {
  const parts = [];
  for (const { name, data, mode } of entries) {
    parts.push(header(name, data.length, mode), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

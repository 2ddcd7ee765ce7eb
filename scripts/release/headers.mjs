// The check that each built file is an executable of its target's kind, read from its header:
// ELF (machine x86-64 or AArch64), Mach-O 64-bit (CPU x86-64 or ARM64), PE32+ (machine AMD64).
// The other platforms' binaries cannot run here; this is what can be known of them on this host.
import { openSync, readSync, closeSync } from 'node:fs';

const ELF_MACHINE = { amd64: 0x3e, arm64: 0xb7 };
const MACHO_CPU = { amd64: 0x01000007, arm64: 0x0100000c };
const PE_MACHINE = { amd64: 0x8664 };

function head(file, length) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, 0);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a Mach-O file has a code signature (LC_CODE_SIGNATURE). `node --build-sea` removes the
 * Node binary's, which the injection made invalid: macOS on Apple silicon runs no unsigned
 * binary, so the release is signed on a Mac (`codesign --sign - ktail`, docs/usage.md).
 */
function machoSigned(file) {
  const h = head(file, 32);
  const load = head(file, 32 + h.readUInt32LE(20));
  let at = 32;
  for (let i = 0; i < h.readUInt32LE(16); i++) {
    if (load.readUInt32LE(at) === 0x1d) return true;
    at += load.readUInt32LE(at + 4);
  }
  return false;
}

/** What the header says, e.g. 'ELF 64-bit x86-64 executable'; throws if it is not `target`'s. */
export function checkHeader(file, target) {
  const h = head(file, 4096);
  if (target.format === 'elf') {
    if (h.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file}: not an ELF file`);
    if (h[4] !== 2 || h[5] !== 1) throw new Error(`${file}: not a 64-bit little-endian ELF file`);
    const machine = h.readUInt16LE(18);
    if (machine !== ELF_MACHINE[target.arch]) throw new Error(`${file}: ELF machine 0x${machine.toString(16)}, not ${target.arch}`);
    return `ELF 64-bit, machine ${target.arch === 'amd64' ? 'x86-64' : 'AArch64'}`;
  }
  if (target.format === 'macho') {
    if (h.readUInt32LE(0) !== 0xfeedfacf) throw new Error(`${file}: not a 64-bit Mach-O file`);
    const cpu = h.readUInt32LE(4);
    if (cpu !== MACHO_CPU[target.arch]) throw new Error(`${file}: Mach-O CPU 0x${cpu.toString(16)}, not ${target.arch}`);
    if (h.readUInt32LE(12) !== 2) throw new Error(`${file}: Mach-O file type ${h.readUInt32LE(12)}, not an executable`);
    return `Mach-O 64-bit executable, CPU ${target.arch === 'amd64' ? 'x86-64' : 'ARM64'}, ${machoSigned(file) ? 'signed' : 'unsigned'}`;
  }
  if (h.toString('latin1', 0, 2) !== 'MZ') throw new Error(`${file}: no MZ header`);
  const pe = h.readUInt32LE(0x3c);
  if (h.readUInt32BE(pe) !== 0x50450000) throw new Error(`${file}: no PE signature`);
  const machine = h.readUInt16LE(pe + 4);
  if (machine !== PE_MACHINE[target.arch]) throw new Error(`${file}: PE machine 0x${machine.toString(16)}, not ${target.arch}`);
  if (h.readUInt16LE(pe + 24) !== 0x20b) throw new Error(`${file}: not PE32+`);
  return 'PE32+ executable, machine AMD64';
}

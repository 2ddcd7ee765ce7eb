// A minimal zip writer (deflate, no zip64): krew wants an archive, and Windows users a .zip; the
// build machine may have no `zip` command. The entries' times are fixed, so the same files make
// the same archive, and the same SHA-256.
import { deflateRawSync, crc32 } from 'node:zlib';

/** 1980-01-01 00:00 in MS-DOS time and date: the earliest a zip can say. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * The fields a local header and its central directory record both hold, in the same order, from
 * `at`: version needed, flags, method, time, date, CRC-32, both sizes, the name's length.
 */
function writeEntryFields(header, at, { crc, packed, data, nameBytes }) {
  header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(8, at + 4); // deflate
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(packed.length, at + 14);
  header.writeUInt32LE(data.length, at + 18);
  header.writeUInt16LE(nameBytes.length, at + 22);
}

/** entries: [{ name, data: Buffer, mode }]; returns the zip file's bytes. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data, mode } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const entry = { crc, packed, data, nameBytes };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry);
    locals.push(local, nameBytes, packed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the mode below is read
    writeEntryFields(central, 6, entry);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38); // external attributes: a regular file's mode
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

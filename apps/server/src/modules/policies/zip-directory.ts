import { inflateRawSync } from 'node:zlib';

/** A ZIP archive that cannot be read: truncated, not a ZIP, or using what we do not support. */
export class ZipFormatError extends Error {}

/** One entry of a ZIP central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;

/** Most entries an archive may list before we stop reading (a DOCX has a few dozen). */
const maxEntries = 10_000;

function readU64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('ZIP offset too large');
  return Number(value);
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === eocdSignature) return i;
  }
  throw new ZipFormatError('no ZIP end-of-central-directory record');
}

/**
 * Read the central directory of a ZIP archive held in memory (ZIP64 included). Only the
 * directory is parsed; entry contents are read on demand by `readZipEntry`.
 */
export function readZipDirectory(buffer: Buffer): ZipEntry[] {
  if (buffer.length < 22) throw new ZipFormatError('too short to be a ZIP archive');
  const eocd = findEndOfCentralDirectory(buffer);
  let count = buffer.readUInt16LE(eocd + 10);
  let size = buffer.readUInt32LE(eocd + 12);
  let offset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== zip64LocatorSignature) {
      throw new ZipFormatError('ZIP64 locator missing');
    }
    const record = readU64(buffer, locator + 8);
    if (record + 56 > buffer.length || buffer.readUInt32LE(record) !== zip64EocdSignature) {
      throw new ZipFormatError('ZIP64 end-of-central-directory record missing');
    }
    count = readU64(buffer, record + 32);
    size = readU64(buffer, record + 40);
    offset = readU64(buffer, record + 48);
  }
  if (count > maxEntries) throw new ZipFormatError('too many ZIP entries');
  if (offset + size > buffer.length) throw new ZipFormatError('central directory out of bounds');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== centralSignature) {
      throw new ZipFormatError('central directory entry damaged');
    }
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > buffer.length) throw new ZipFormatError('central directory entry out of bounds');
    let compressedSize = buffer.readUInt32LE(at + 20);
    let uncompressedSize = buffer.readUInt32LE(at + 24);
    let localHeaderOffset = buffer.readUInt32LE(at + 42);
    // ZIP64 sizes and offset live in extra field 0x0001, in this order, only when saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = buffer.readUInt16LE(extra);
      const length = buffer.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        const take = (): number => {
          if (field + 8 > extra + 4 + length) throw new ZipFormatError('ZIP64 field too short');
          const value = readU64(buffer, field);
          field += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      extra += 4 + length;
    }
    entries.push({
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    at = end;
  }
  return entries;
}

/**
 * The bytes of one entry, stored or deflated; refused when larger than `maxBytes` once
 * inflated (a small archive must not expand into gigabytes in memory).
 */
export function readZipEntry(buffer: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== localSignature) {
    throw new ZipFormatError(`local header of ${entry.name} damaged`);
  }
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buffer.length) throw new ZipFormatError(`${entry.name} out of bounds`);
  const data = buffer.subarray(start, end);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipFormatError(`${entry.name} is too large`);
    return data;
  }
  if (entry.method !== 8) {
    throw new ZipFormatError(`${entry.name} uses compression method ${String(entry.method)}`);
  }
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch {
    throw new ZipFormatError(`${entry.name} cannot be inflated or is too large`);
  }
}

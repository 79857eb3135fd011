/**
 * Reading files with errors a user can act on (writing is in write.ts): whole UTF-8 files,
 * or streamed in chunks, with invalid bytes named by line.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import type { FaultType, HandgradError } from "../errors.js";

/** The largest file readUtf8File reads whole (a model file is far smaller). */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The text of a UTF-8 file; a `Fault` naming the path when it cannot be read or decoded, or
 * when it is larger than `maxBytes` (a string that long would exhaust memory or exceed what
 * a JavaScript string can hold; big data files are streamed instead, see readFileInChunks).
 */
export function readUtf8File(
  path: string,
  Fault: FaultType,
  maxBytes = MAX_WHOLE_FILE_BYTES,
): string {
  const chunks: Uint8Array[] = [];
  let size = 0;
  readFileInChunks(path, Fault, 1 << 20, (buffer, filled) => {
    size += filled;
    if (size > maxBytes) {
      throw new Fault(`${path} is larger than ${maxBytes} bytes, the most handgrad reads whole`);
    }
    chunks.push(buffer.slice(0, filled));
    return filled;
  });
  const bytes = Buffer.concat(chunks, size);
  return new Utf8FileDecoder(path, Fault).decode(bytes, true);
}

/**
 * Reads the file at `path` from start to end through one buffer. Each time a chunk of up to
 * `chunkBytes` more bytes has been read, `consume(buffer, filled, atEnd)` is called with the
 * bytes not yet consumed at buffer[0, filled), and returns how many of them it consumed; the
 * rest are moved to the front and kept (the buffer grows to hold them plus a chunk). `atEnd`
 * is true, once, after the last byte. A `Fault` naming the path when it cannot be read.
 */
export function readFileInChunks(
  path: string,
  Fault: FaultType,
  chunkBytes: number,
  consume: (buffer: Uint8Array, filled: number, atEnd: boolean) => number,
): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new Fault(`cannot read ${path}: ${describeFileError(error)}`);
  }
  try {
    let buffer = new Uint8Array(2 * chunkBytes);
    let filled = 0;
    for (;;) {
      if (buffer.length - filled < chunkBytes) {
        const larger = new Uint8Array(Math.max(2 * buffer.length, filled + chunkBytes));
        larger.set(buffer.subarray(0, filled));
        buffer = larger;
      }
      let read: number;
      try {
        read = readSync(fd, buffer, filled, chunkBytes, null);
      } catch (error) {
        throw new Fault(`cannot read ${path}: ${describeFileError(error)}`);
      }
      filled += read;
      const atEnd = read === 0;
      const consumed = consume(buffer, filled, atEnd);
      if (consumed > 0) buffer.copyWithin(0, consumed, filled);
      filled -= consumed;
      if (atEnd) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Decodes a UTF-8 file piece by piece (a fatal TextDecoder in stream mode: a byte-order mark
 * at the start is dropped). Every piece but the last must end at a character boundary (after
 * an ASCII byte, say), so that an invalid byte is found exactly: the `Fault` names its line.
 */
export class Utf8FileDecoder {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  /** LF bytes in the pieces decoded so far. */
  private lineFeeds = 0;

  constructor(
    private readonly path: string,
    private readonly Fault: FaultType,
  ) {}

  decode(bytes: Uint8Array, last: boolean): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !last });
    } catch {
      throw this.fault(bytes);
    }
    if (!last) this.lineFeeds += countByte(bytes, 0x0a, bytes.length);
    return text;
  }

  /**
   * Throws the `Fault` that decode would, without building the text (a fast native check).
   * Every piece, the last included, must end at a character boundary (utf8CharacterBoundary).
   */
  check(bytes: Uint8Array): void {
    if (!isUtf8(bytes)) throw this.fault(bytes);
    this.lineFeeds += countByte(bytes, 0x0a, bytes.length);
  }

  /** The error for `bytes`, the next piece, which holds an invalid byte: its line is named. */
  private fault(bytes: Uint8Array): HandgradError {
    const line = 1 + this.lineFeeds + countByte(bytes, 0x0a, firstInvalidUtf8Byte(bytes));
    return new this.Fault(
      `${this.path} is not UTF-8 text (line ${line} has an invalid byte); save the file as UTF-8`,
    );
  }
}

/**
 * The end of the whole characters in bytes[0, end): `end`, or the position of a lead byte in
 * the last 4 whose sequence may go on past `end` (a piece cut there ends at a character boundary).
 */
export function utf8CharacterBoundary(bytes: Uint8Array, end: number): number {
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i] as number;
    if (b < 0x80) return end; // ASCII: everything before is whole
    if (b >= 0xc0) return i; // a lead byte
  }
  return end;
}

/** A one-phrase reason a file could not be read or written. */
export function describeFileError(error: unknown, path?: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT")
    return path === undefined
      ? "no such file"
      : `no such folder ${dirname(path) === "." ? "(the working folder is gone)" : dirname(path)}`;
  if (code === "EISDIR") return "it is a folder, not a file";
  if (code === "ENOTDIR") return "a part of the path is not a folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "the file system is read-only";
  if (code === "ENOSPC") return "no space left on the device";
  if (code === "EDQUOT") return "the disk quota is exceeded";
  if (code === "EFBIG") return "the file is too large for the file system";
  if (code === "ELOOP") return "too many symbolic links (a loop?)";
  if (code === "ENXIO") return "no device or reader at the other end";
  return error instanceof Error ? error.message : String(error);
}

/** The offset of (about) the first byte where UTF-8 decoding fails (binary search over prefixes). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  // decode(prefix, { stream: true }) accepts a sequence cut off at the end, so a prefix
  // fails exactly when it contains an invalid sequence: the failing prefixes are those
  // longer than some length L, and bytes[L − 1] is where the decoder sees the fault.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return bad - 1;
}

/** The occurrences of `byte` in bytes[0, end). */
function countByte(bytes: Uint8Array, byte: number, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(byte); i !== -1 && i < end; i = bytes.indexOf(byte, i + 1)) count++;
  return count;
}

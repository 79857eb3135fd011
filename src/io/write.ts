/**
 * Writing a file without losing what is at its path. What happens depends on what is there:
 *
 *   nothing            a new file, written atomically (below)
 *   a regular file     replaced atomically, keeping its permission bits (and owner, for root);
 *                      refused when its permissions do not let this user write it
 *   a symbolic link    the link is kept and its target (the file it finally points at, which
 *                      may not exist yet) is written as above
 *   a device or FIFO   written through, never replaced: `/dev/null` discards, a full device
 *                      gives "no space left", a FIFO passes the bytes to its reader (waiting at
 *                      most FIFO_READER_WAIT_MS for one to open it, so that a FIFO nobody reads
 *                      is an error, not a process that hangs beyond the reach of Ctrl-C)
 *   an open descriptor /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: written to that
 *                      descriptor of this process, at its offset, so `--save /dev/stdout >> f`
 *                      appends to f and a pipe receives the bytes
 *   a socket, a folder refused
 *
 * Atomically: the content goes to a temporary file in the target's folder, is flushed to
 * disk, takes the old file's mode, and is then renamed over the target, so that a reader sees
 * the old file or the new one, never a half-written one, and a failed write leaves the old
 * file untouched. (A regular file with other hard links is replaced under this name only: the
 * other names keep the old content, as with every atomic replacement.)
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { FileError, UsageError } from "../errors.js";
import { describeFileError } from "./files.js";

/** Where the bytes for a path go: a file replaced atomically, or a special file written through. */
export type WriteTarget =
  | {
      readonly kind: "replace";
      /** The file to replace: the path itself, or the final target of a symbolic link. */
      readonly path: string;
      /** The existing file's stats (its mode and owner are kept), or undefined for a new file. */
      readonly existing?: Stats;
    }
  | {
      /**
       * A character or block device or a FIFO at `path` (the final target of any link), or an
       * open descriptor of another process (/proc/PID/fd/N), opened and written.
       */
      readonly kind: "through";
      readonly path: string;
    }
  | {
      /** One of this process's open descriptors (/dev/stdout, /proc/self/fd/N): written to fd. */
      readonly kind: "descriptor";
      readonly path: string;
      readonly fd: number;
    };

/** Symbolic links followed before giving up (Linux's own limit, ELOOP). */
const MAX_LINKS = 40;

/**
 * What writing `path` would do (see the header), or the FileError it would end in: the
 * checks that need no writing (a folder, a socket, a read-only file, an empty name).
 */
export function writeTarget(path: string): WriteTarget {
  if (path === "") throw new FileError("cannot write to an empty file name");
  if (path.endsWith("/") || path.endsWith(sep)) {
    throw new FileError(`cannot write ${path}: it names a folder, not a file`);
  }
  const fail = (why: string): never => {
    throw new FileError(`cannot write ${path}: ${why}`);
  };
  let target: string;
  let stats: Stats | undefined;
  let descriptor: Descriptor | undefined;
  try {
    ({ target, stats, descriptor } = followLinks(path));
  } catch (error) {
    return fail(describeFileError(error, path));
  }
  if (descriptor) {
    return descriptor.pid === process.pid
      ? { kind: "descriptor", path: target, fd: descriptor.fd }
      : { kind: "through", path: target };
  }
  const named = target === path ? "it" : `its link target ${target}`;
  if (stats === undefined) return { kind: "replace", path: target };
  if (stats.isDirectory()) return fail(`${named} is a folder, not a file`);
  if (stats.isSocket()) return fail(`${named} is a socket, which handgrad does not write to`);
  if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) {
    return { kind: "through", path: target };
  }
  if (!writableByThisUser(target, stats)) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, "0");
    fail(
      `${named} is read-only (mode ${mode}), so handgrad will not replace it; make it writable or choose another path`,
    );
  }
  return { kind: "replace", path: target, existing: stats };
}

/** An open file descriptor named by a path /proc/PID/fd/N (or a link to one: /dev/stdout). */
export interface Descriptor {
  readonly pid: number;
  readonly fd: number;
}

/**
 * The file `path` finally names, following symbolic links (the last of which may point at
 * nothing yet), and its stats there (undefined when nothing is there). Each link's text is
 * read relative to the real folder the link sits in (as the kernel does), and a link into
 * /proc/PID/fd (the kernel's links to open files, which /dev/stdout and /dev/fd/N lead to)
 * ends the walk as a `descriptor`: its text, such as "pipe:[123]", names no path. Throws the
 * file system's error (ELOOP after MAX_LINKS links).
 */
export function followLinks(path: string): {
  target: string;
  stats: Stats | undefined;
  descriptor?: Descriptor;
} {
  let target = path;
  for (let links = 0; ; links++) {
    const folder = realFolderOf(target);
    const descriptor = descriptorAt(folder, basename(target));
    if (descriptor) return { target, stats: statSync(target), descriptor };
    const stats = lstatSync(target, { throwIfNoEntry: false });
    if (!stats?.isSymbolicLink()) return { target, stats };
    if (links === MAX_LINKS) throw Object.assign(new Error("too many links"), { code: "ELOOP" });
    target = resolve(folder, readlinkSync(target));
  }
}

/** The real path of the folder holding `path` (its own spelling when that folder is missing). */
function realFolderOf(path: string): string {
  try {
    return realpathSync(dirname(path));
  } catch {
    return dirname(path);
  }
}

/** The descriptor `name` in `folder` when the folder is a process's /proc/PID/fd. */
function descriptorAt(folder: string, name: string): Descriptor | undefined {
  const match = /^\/proc\/(\d+)\/fd$/.exec(folder);
  if (!match || !/^\d+$/.test(name)) return undefined;
  return { pid: Number(match[1]), fd: Number(name) };
}

/**
 * True when the file's permissions let this process write it. The superuser may write any
 * file, so for root a file with no write bit at all counts as read-only: the user marked it so.
 */
function writableByThisUser(path: string, stats: Stats): boolean {
  if (process.getuid?.() === 0) return (stats.mode & 0o222) !== 0;
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes `content` to `path` as the header says; a FileError naming the path when it cannot. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  if (typeof path !== "string") {
    throw new UsageError(`writeFileAtomic: the path must be a string, got ${typeof path}`);
  }
  if (typeof content !== "string" && !(content instanceof Uint8Array)) {
    throw new UsageError(
      `writeFileAtomic: the content must be a string or a Uint8Array, got ${content === null ? "null" : typeof content}`,
    );
  }
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const target = writeTarget(path);
  if (target.kind === "replace") replaceAtomically(path, target.path, bytes, target.existing);
  else if (target.kind === "through") writeThrough(path, target.path, bytes);
  else writeToDescriptor(path, target.fd, bytes);
}

/** How long a write to a FIFO waits for a reader to open it. */
export const FIFO_READER_WAIT_MS = 5000;
/** How long a write through waits while its reader takes nothing (a full pipe). */
const STALLED_WRITE_MS = 30_000;

/**
 * Writes into an existing device or FIFO, without creating or renaming anything. Opened
 * without blocking: a FIFO with no reader fails at once (ENXIO), and the open is retried for
 * up to FIFO_READER_WAIT_MS, so that a reader started just before handgrad is found.
 */
function writeThrough(path: string, target: string, bytes: Uint8Array): void {
  let fd: number | undefined;
  try {
    const flags = constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK;
    for (let waited = 0; fd === undefined; waited += 10) {
      try {
        fd = openSync(target, flags);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "ENXIO" || waited >= FIFO_READER_WAIT_MS)
          throw error;
        sleep(10);
      }
    }
    writeAll(fd, bytes);
  } catch (error) {
    const why =
      (error as { code?: unknown }).code === "ENXIO"
        ? `no process is reading it (waited ${FIFO_READER_WAIT_MS / 1000} s for a reader)`
        : describeFileError(error, target);
    throw new FileError(`cannot write ${path}: ${why}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes to one of this process's open descriptors, at its offset, and leaves it open. */
function writeToDescriptor(path: string, fd: number, bytes: Uint8Array): void {
  try {
    writeAll(fd, bytes);
  } catch (error) {
    throw new FileError(`cannot write ${path}: ${describeFileError(error, path)}`);
  }
}

function replaceAtomically(
  path: string,
  target: string,
  bytes: Uint8Array,
  existing: Stats | undefined,
): void {
  const temporary = temporaryPath(target);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, "wx", 0o644);
    writeAll(fd, bytes);
    if (existing) keepModeAndOwner(fd, existing);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw new FileError(`cannot write ${path}: ${describeFileError(error, target)}`);
  }
  syncFolder(dirname(target));
}

/** Gives the new file the replaced file's permission bits, and (for root) its owner. */
function keepModeAndOwner(fd: number, existing: Stats): void {
  fchmodSync(fd, existing.mode & 0o7777);
  if (process.getuid?.() === 0) {
    try {
      fchownSync(fd, existing.uid, existing.gid);
    } catch {
      // Some file systems refuse chown; the content is what matters.
    }
  }
}

/**
 * Writes every byte to fd. A descriptor in non-blocking mode (a FIFO opened so, a pipe Node
 * made non-blocking) refuses bytes while it is full (EAGAIN): wait for the reader, for up to
 * STALLED_WRITE_MS without progress.
 */
function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  let stalled = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written, bytes.length - written);
      stalled = 0;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EAGAIN" || stalled >= STALLED_WRITE_MS)
        throw error;
      sleep(1);
      stalled += 1;
    }
  }
}

/** Blocks this thread for `ms` milliseconds (the writes here are synchronous by design). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Throws the FileError that writing `path` would, without touching `path`: called before a
 * long run so that a bad --save fails at once instead of after training. For a file to be
 * replaced, a temporary file is created and removed in its folder; a device or FIFO is
 * checked for write permission (a FIFO is not opened: that would wait for a reader).
 */
export function assertWritable(path: string): void {
  const target = writeTarget(path);
  try {
    if (target.kind === "descriptor") return;
    if (target.kind === "through") {
      accessSync(target.path, constants.W_OK);
      return;
    }
    const temporary = temporaryPath(target.path);
    closeSync(openSync(temporary, "wx", 0o644));
    rmSync(temporary, { force: true });
  } catch (error) {
    throw new FileError(`cannot write ${path}: ${describeFileError(error, target.path)}`);
  }
}

/**
 * `.NAME.PID.HEX.tmp` beside `path`, NAME cut to its first 120 bytes (whole characters) so
 * that the temporary name stays within the 255 bytes a file name may have.
 */
function temporaryPath(path: string): string {
  let name = "";
  for (const c of basename(path)) {
    if (Buffer.byteLength(name + c) > 120) break;
    name += c;
  }
  return join(dirname(path), `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Flushes the folder entry so the rename itself survives a crash (best effort: not every OS allows it). */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Folders cannot be opened for fsync on some platforms (e.g. Windows); the rename is still atomic.
  }
}

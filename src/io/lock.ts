/**
 * One writer per file: a long run that will write a model or a checkpoint first takes the
 * lock `FILE.lock` beside it (created with O_EXCL, so only one process can), and a second
 * run that wants to write the same file is refused with a line naming the first. The lock
 * holds `"format": "handgrad-lock"` and the owner's pid, host and process start time; it is
 * released when the run ends, whichever way (a return, an error, a signal, process.exit), and
 * a lock whose owner is gone (killed with SIGKILL, say: no code runs then) is found stale and
 * taken over. A file of that name that is not a handgrad lock is never touched: the run is
 * refused instead.
 *
 * The lock is of the file finally written: a symbolic link and its target share one lock.
 * A device, a FIFO or an open descriptor, written through and never replaced, takes no lock.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { FileError } from "../errors.js";
import { describeFileError } from "./files.js";
import { writeTarget } from "./write.js";

/** A lock taken by lockForWriting; release() may be called any number of times. */
export interface FileLock {
  /** The lock file, or undefined when the path takes no lock (a device or FIFO). */
  readonly path: string | undefined;
  release(): void;
}

/** What a lock file holds. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  /** The owner's start time as the kernel counts it (Linux), to tell a reused pid apart. */
  readonly start: string | null;
  /** When the lock was taken (ISO 8601), for the message. */
  readonly since: string;
}

/** What a handgrad lock file says it is: any other file of the name is left alone. */
const LOCK_FORMAT = "handgrad-lock";

/** A lock file this young with no holder written yet is being created, not abandoned. */
const CREATION_GRACE_MS = 5000;

/**
 * Takes the lock of the file `path` names (see the header) for this process; a FileError when
 * another live process holds it, naming that process and the lock file.
 */
export function lockForWriting(path: string): FileLock {
  const target = writeTarget(path);
  if (target.kind !== "replace") return { path: undefined, release: () => undefined };
  const lockPath = `${target.path}.lock`;
  const text = `${JSON.stringify(ownHolder())}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(lockPath, text)) return held(lockPath, text);
    const found = readHolder(lockPath);
    if (found === "gone") continue; // released meanwhile: try again
    if (found === "foreign") {
      throw new FileError(
        `cannot lock ${path}: ${lockPath} exists and is not a handgrad lock, so handgrad will not ` +
          `touch it; move it away or choose another path`,
      );
    }
    if (found !== "stale") {
      throw new FileError(
        `${path} is being written by another handgrad run (${holderText(found)}); ` +
          `wait for it to end or choose another path (if no such run is alive, delete ${lockPath})`,
      );
    }
    removeIfStillStale(lockPath);
  }
  throw new FileError(`cannot lock ${path}: ${lockPath} keeps being taken by other runs`);
}

/** Takes the locks of all the paths, or none: a FileError after releasing those already taken. */
export function lockAllForWriting(paths: readonly string[]): FileLock[] {
  const locks: FileLock[] = [];
  try {
    for (const path of paths) locks.push(lockForWriting(path));
  } catch (error) {
    for (const lock of locks) lock.release();
    throw error;
  }
  return locks;
}

/** Creates the lock file with `text`; false when it exists already. */
function create(lockPath: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o644);
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") return false;
    throw new FileError(
      `cannot create the lock ${lockPath}: ${describeFileError(error, lockPath)}`,
    );
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** A held lock: released (only while it still holds our text) on release() or at exit. */
function held(lockPath: string, text: string): FileLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off("exit", release);
    try {
      if (readFileSync(lockPath, "utf8") === text) rmSync(lockPath, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.on("exit", release);
  return { path: lockPath, release };
}

/**
 * The holder of an existing lock; "stale" when it is a handgrad lock whose process is gone,
 * "foreign" when the file is not a handgrad lock (a file of the user's that happens to have
 * the name: never removed), or "gone" when the lock vanished meanwhile.
 */
function readHolder(lockPath: string): Holder | "stale" | "foreign" | "gone" {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    return "gone";
  }
  if (text === "") {
    // Created this instant and not yet written (or its creator died in that instant).
    const age = Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age < CREATION_GRACE_MS ? unknownHolder() : "foreign";
  }
  const holder = parseHolder(text);
  if (holder === undefined) return "foreign";
  if (holder.host !== hostname()) return holder; // another machine's process: cannot be checked
  return isAlive(holder) ? holder : "stale";
}

/** The holder a lock file's text names, or undefined when it is not a handgrad lock. */
function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder> & { format?: unknown };
    if (value.format !== LOCK_FORMAT) return undefined;
    if (!Number.isSafeInteger(value.pid) || typeof value.host !== "string") return undefined;
    return {
      pid: value.pid as number,
      host: value.host,
      start: typeof value.start === "string" ? value.start : null,
      since: typeof value.since === "string" ? value.since : "an unknown time",
    };
  } catch {
    return undefined;
  }
}

/** True when the holder's process still runs (and is the same process, where start times tell). */
function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EPERM") return false; // ESRCH: no such process
  }
  const start = processStart(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

/** Removes a stale lock, unless a live process took it over in the meantime. */
function removeIfStillStale(lockPath: string): void {
  const before = readHolder(lockPath);
  if (before === "stale") rmSync(lockPath, { force: true });
}

function ownHolder(): Holder & { format: string } {
  return {
    format: LOCK_FORMAT,
    pid: process.pid,
    host: hostname(),
    start: processStart(process.pid),
    since: new Date().toISOString(),
  };
}

function unknownHolder(): Holder {
  return { pid: 0, host: "", start: null, since: "just now" };
}

function holderText(holder: Holder): string {
  if (holder.pid === 0) return "a lock being created just now";
  const where = holder.host === hostname() ? "" : ` on ${holder.host}`;
  return `pid ${holder.pid}${where}, since ${holder.since}`;
}

/**
 * The start time of process `pid` in clock ticks since boot (field 22 of /proc/PID/stat), or
 * null where there is no /proc (the pid alone then identifies the process).
 */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null; // field 22 is the 20th after the name
  } catch {
    return null;
  }
}

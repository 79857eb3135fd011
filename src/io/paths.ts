/**
 * No output replaces an input: before any work, every file a command writes is compared with
 * every file it reads and with every other file it writes, by identity, not by spelling.
 * Two paths name the same file when, after following symbolic links, they reach the same
 * device and inode (so `./d.csv`, `/abs/d.csv`, a hard link and a symbolic link to it all
 * match); a path with nothing there yet is identified by its real folder and its name.
 *
 * Sharing a file is allowed in two cases only: an output that continues its own input in
 * place (the same kind of file read and written, such as `--init-model m.json --save m.json`
 * or `--resume ck.json --checkpoint ck.json`), and a character device (`/dev/null`), which
 * is written through and never replaced. Everything else is refused with a UsageError naming
 * both flags and the path.
 *
 * And no output is named "-": to many tools it means stdout, but here it would create a file
 * named "-", so every output flag refuses it (`./-` names that file).
 */
import { closeSync, lstatSync, openSync, realpathSync, rmSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FileError, UsageError } from "../errors.js";
import { describeFileError } from "./files.js";
import { followLinks } from "./write.js";

/** What a file holds, as a command reads or writes it. */
export type FileKind = "data" | "model" | "checkpoint" | "predictions" | "figure";

/** One file a command reads or writes, as the user named it. */
export interface FileRole {
  /** How the user gave it, for messages: "--save" (or "the default checkpoint"). */
  readonly flag: string;
  readonly path: string;
  readonly direction: "input" | "output";
  readonly kind: FileKind;
}

/** The name of a kind of file in a message: "the data", "the model", … */
const KIND_NOUN: Readonly<Record<FileKind, string>> = {
  data: "the data",
  model: "the model",
  checkpoint: "the checkpoint",
  predictions: "the predictions",
  figure: "the figure",
};

/** Where a kind of output goes to stdout instead, for the refusal of "-". */
const STDOUT_HINT: Partial<Readonly<Record<FileKind, string>>> = {
  predictions: "for the predictions on stdout, use --json",
};

/**
 * Throws a UsageError for an output named "-" (see the header), and when two of the roles name the same file and at least one of them
 * writes it, unless the header allows the pair. Reads nothing but the file system's metadata.
 */
export function assertNoCollisions(roles: readonly FileRole[]): void {
  for (const role of roles) {
    if (role.direction === "output" && role.path === "-") {
      const stdout = STDOUT_HINT[role.kind];
      throw new UsageError(
        `${role.flag} - would create a file named "-": ${role.flag} takes a file name (${stdout === undefined ? "" : `${stdout}; or `}${role.flag} ./- for that file name)`,
      );
    }
  }
  const identified = roles.map((role) => ({ role, ...identify(role.path) }));
  for (const [i, a] of identified.entries()) {
    for (const b of identified.slice(i + 1)) {
      if (a.identity !== b.identity) continue;
      if (a.role.direction === "input" && b.role.direction === "input") continue;
      if (a.stats?.isCharacterDevice()) continue; // written through: nothing is replaced
      if (a.role.direction !== b.role.direction && a.role.kind === b.role.kind) continue; // in place
      throw new UsageError(collisionMessage(a.role, b.role));
    }
  }
}

function collisionMessage(a: FileRole, b: FileRole): string {
  const [output, other] = a.direction === "output" ? [a, b] : [b, a];
  const same =
    a.path === b.path
      ? `${a.flag} and ${b.flag} name the same file ${a.path}`
      : `${a.flag} ${a.path} and ${b.flag} ${b.path} are the same file`;
  const harm =
    other.direction === "input"
      ? `writing ${KIND_NOUN[output.kind]} would replace ${KIND_NOUN[other.kind]} you gave`
      : `${KIND_NOUN[output.kind]} and ${KIND_NOUN[other.kind]} would replace each other`;
  const fix =
    other.direction === "input"
      ? `choose another path for ${output.flag}`
      : "give them different paths";
  return `${same}: ${harm}; ${fix}`;
}

/**
 * `base` when nothing is there, not even a dangling link (or when it is the same file as
 * `reuse`, which the caller continues in place), else the first of base-2, base-3, … (before
 * a ".json" extension) that is free: a file written there replaces nothing.
 */
export function unusedPath(base: string, reuse?: string): string {
  const reused = reuse === undefined ? undefined : identify(reuse).identity;
  for (let n = 1; ; n++) {
    const path = numbered(base, n);
    if (!lstatSync(path, { throwIfNoEntry: false })) return path; // not even a dangling link
    if (reused !== undefined && identify(path).identity === reused) return path;
  }
}

/**
 * Writes with `write(path)` to the first free name of unusedPath(base, reuse) and returns it.
 * The name is taken first by creating it empty with O_EXCL, which only one process can, so
 * that runs interrupted at the same moment in one folder never pick the same name; `write`
 * then replaces the empty file (atomically), which is removed again if `write` fails.
 */
export function writeToUnusedPath(
  base: string,
  reuse: string | undefined,
  write: (path: string) => void,
): string {
  const reused = reuse === undefined ? undefined : identify(reuse).identity;
  for (let n = 1; ; n++) {
    const path = numbered(base, n);
    if (reused !== undefined && identify(path).identity === reused) {
      write(path);
      return path;
    }
    try {
      closeSync(openSync(path, "wx", 0o644));
    } catch (error) {
      if ((error as { code?: unknown }).code === "EEXIST") continue;
      throw new FileError(`cannot write ${path}: ${describeFileError(error, path)}`);
    }
    try {
      write(path);
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return path;
  }
}

/** base for n = 1, else base-n (before a ".json" extension). */
function numbered(base: string, n: number): string {
  return n === 1 ? base : base.replace(/(\.json)?$/, `-${n}$1`);
}

/** The identity of the file at `path` (see the header) and its stats when it exists. */
function identify(path: string): { identity: string; stats?: Stats } {
  let target = path;
  try {
    const followed = followLinks(path);
    target = followed.target;
    if (followed.stats) {
      return { identity: `${followed.stats.dev}:${followed.stats.ino}`, stats: followed.stats };
    }
  } catch {
    // A loop or an unreadable folder: compare by the path as spelled (the read or write fails later).
  }
  return { identity: `new:${realFolder(target)}` };
}

/** The path with its folder resolved through symbolic links (as far as the folder exists). */
function realFolder(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    try {
      return resolve(path);
    } catch {
      return path; // the working folder is gone: the path as spelled (writing it will fail)
    }
  }
}

/**
 * One writer per file: lockForWriting refuses a file another live process is writing, takes
 * over stale locks (dead pid, reused pid, an old broken lock file), and every exit path
 * releases the lock.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileError } from "../../src/errors.js";
import { lockAllForWriting, lockForWriting } from "../../src/io/index.js";

const root = resolve(import.meta.dirname, "../..");
let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "handgrad-lock-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh path in the test folder. */
function fresh(): string {
  return join(dir, `m${n++}.json`);
}

function refusal(path: string): string {
  try {
    lockForWriting(path).release();
  } catch (error) {
    expect(error).toBeInstanceOf(FileError);
    return (error as Error).message;
  }
  throw new Error("expected a FileError");
}

/** A pid that no process has: a child that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

describe("lockForWriting", () => {
  it("writes FILE.lock with this process as holder, refuses a second writer, and releases", () => {
    const path = fresh();
    const lock = lockForWriting(path);
    expect(lock.path).toBe(`${path}.lock`);
    const holder = JSON.parse(readFileSync(`${path}.lock`, "utf8"));
    expect(holder).toMatchObject({ format: "handgrad-lock", pid: process.pid, host: hostname() });
    expect(refusal(path)).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is being written by another handgrad run \\(pid ${process.pid}, since \\S+\\); wait for it to end or choose another path \\(if no such run is alive, delete \\S+\\.lock\\)$`,
      ),
    );
    lock.release();
    lock.release(); // twice is harmless
    expect(existsSync(`${path}.lock`)).toBe(false);
    lockForWriting(path).release(); // free again
  });

  it("shares one lock between a symbolic link and its target", () => {
    const target = fresh();
    const link = join(dir, "link-to-target.json");
    symlinkSync(target, link);
    const lock = lockForWriting(link);
    expect(lock.path).toBe(`${target}.lock`);
    expect(refusal(target)).toContain("is being written by another handgrad run");
    lock.release();
  });

  it("takes over a lock whose process is gone, or whose pid now belongs to another process", () => {
    const dead = fresh();
    writeFileSync(
      `${dead}.lock`,
      JSON.stringify({
        format: "handgrad-lock",
        pid: deadPid(),
        host: hostname(),
        start: "1",
        since: "x",
      }),
    );
    const lock = lockForWriting(dead);
    expect(JSON.parse(readFileSync(`${dead}.lock`, "utf8")).pid).toBe(process.pid);
    lock.release();

    // This process's pid with another start time: the pid was reused after a crash.
    const reused = fresh();
    writeFileSync(
      `${reused}.lock`,
      JSON.stringify({
        format: "handgrad-lock",
        pid: process.pid,
        host: hostname(),
        start: "-1",
        since: "x",
      }),
    );
    lockForWriting(reused).release();
    expect(existsSync(`${reused}.lock`)).toBe(false);
  });

  it("refuses a lock held on another host (it cannot be checked from here)", () => {
    const path = fresh();
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({
        format: "handgrad-lock",
        pid: 1,
        host: "elsewhere.example",
        start: null,
        since: "yesterday",
      }),
    );
    expect(refusal(path)).toContain("(pid 1 on elsewhere.example, since yesterday)");
  });

  it("waits while an empty lock file is young; never removes a file that is not a handgrad lock", () => {
    const path = fresh();
    writeFileSync(`${path}.lock`, ""); // a lock being created this instant
    expect(refusal(path)).toContain("(a lock being created just now)");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    const foreign = `cannot lock ${path}: ${path}.lock exists and is not a handgrad lock, so handgrad will not touch it; move it away or choose another path`;
    expect(refusal(path)).toBe(foreign);
    expect(existsSync(`${path}.lock`)).toBe(true);
    // A user's own file of that name, however old, and a lock-like JSON of another program.
    for (const text of ["a,y\n1,0\n", '{"pid": 1, "host": "x"}']) {
      writeFileSync(`${path}.lock`, text);
      utimesSync(`${path}.lock`, old, old);
      expect(refusal(path)).toBe(foreign);
      expect(readFileSync(`${path}.lock`, "utf8")).toBe(text);
    }
  });

  it("a device takes no lock", () => {
    const lock = lockForWriting("/dev/null");
    expect(lock.path).toBeUndefined();
    expect(existsSync("/dev/null.lock")).toBe(false);
    lock.release();
  });

  it("lockAllForWriting takes all or none", () => {
    const [a, b] = [fresh(), fresh()];
    const held = lockForWriting(b);
    expect(() => lockAllForWriting([a, b])).toThrow(FileError);
    expect(existsSync(`${a}.lock`)).toBe(false); // a's lock was released again
    held.release();
    const both = lockAllForWriting([a, b]);
    expect(both.map((l) => l.path)).toEqual([`${a}.lock`, `${b}.lock`]);
    for (const l of both) l.release();
  });

  it("is released when the process exits by process.exit, an uncaught error, or normally", () => {
    const module = join(root, "dist/io/lock.js"); // built by npm test before the tests run
    for (const ending of ["process.exit(3)", "throw new Error('boom')", ""]) {
      const path = fresh();
      const script = `import { lockForWriting } from ${JSON.stringify(module)}; lockForWriting(${JSON.stringify(path)}); ${ending}`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
      });
      expect(r.stderr).not.toMatch(/ERR_/);
      expect(existsSync(`${path}.lock`), `${ending}: ${r.stderr}`).toBe(false);
    }
  });
});

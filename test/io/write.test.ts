/**
 * Writing respects what is at the path: new and regular files are replaced atomically (mode
 * kept), read-only files are refused, symbolic links keep pointing at their target, devices
 * and FIFOs are written through and never replaced, sockets and folders are refused.
 * Devices are made with mknod in a temporary folder (root only: CI runs as root), never the
 * machine's own /dev nodes, which a regression would replace.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileError, UsageError } from "../../src/errors.js";
import {
  assertWritable,
  FIFO_READER_WAIT_MS,
  writeFileAtomic,
  writeTarget,
  writeToUnusedPath,
} from "../../src/io/index.js";

const isRoot = process.getuid?.() === 0;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "handgrad-write-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh sub-folder of the test folder. */
function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

function thrown(action: () => void): FileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FileError);
    return error as FileError;
  }
  throw new Error("expected a FileError");
}

describe("writeFileAtomic on files", () => {
  it("creates a new file and replaces an existing one, keeping its permission bits", () => {
    const d = folder("regular");
    const path = join(d, "m.json");
    writeFileAtomic(path, "one");
    expect(readFileSync(path, "utf8")).toBe("one");
    chmodSync(path, 0o640);
    writeFileAtomic(path, "two");
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(["m.json"]); // no temporary file left
  });

  it("refuses a file without write permission and leaves it as it was", () => {
    const d = folder("read-only");
    const path = join(d, "m.json");
    writeFileSync(path, "precious");
    chmodSync(path, 0o444);
    const error = thrown(() => writeFileAtomic(path, "new"));
    expect(error.message).toBe(
      `cannot write ${path}: it is read-only (mode 0444), so handgrad will not replace it; make it writable or choose another path`,
    );
    expect(thrown(() => assertWritable(path)).message).toBe(error.message);
    expect(readFileSync(path, "utf8")).toBe("precious");
    expect(readdirSync(d)).toEqual(["m.json"]);
  });

  it("refuses a folder, an empty name and a path ending in a separator", () => {
    const d = folder("folders");
    expect(thrown(() => writeFileAtomic(d, "x")).message).toBe(
      `cannot write ${d}: it is a folder, not a file`,
    );
    expect(thrown(() => writeFileAtomic("", "x")).message).toBe(
      "cannot write to an empty file name",
    );
    expect(thrown(() => writeFileAtomic(`${d}/`, "x")).message).toMatch(/names a folder/);
  });

  it("replaces a hard-linked file under its own name only (the other name keeps the old bytes)", () => {
    const d = folder("hard");
    writeFileSync(join(d, "a.json"), "old");
    linkSync(join(d, "a.json"), join(d, "b.json"));
    writeFileAtomic(join(d, "a.json"), "new");
    expect(readFileSync(join(d, "a.json"), "utf8")).toBe("new");
    expect(readFileSync(join(d, "b.json"), "utf8")).toBe("old");
  });
});

describe("writeFileAtomic's arguments and names", () => {
  it("refuses content that is not a string or bytes, leaving the file as it was", () => {
    const d = folder("arguments");
    const path = join(d, "keep.txt");
    writeFileSync(path, "important");
    for (const content of [{ text: "hi" }, 123, null, undefined]) {
      expect(() => writeFileAtomic(path, content as unknown as string)).toThrow(
        /writeFileAtomic: the content must be a string or a Uint8Array, got (object|number|null|undefined)/,
      );
    }
    expect(() => writeFileAtomic(1 as unknown as string, "x")).toThrow(UsageError);
    expect(readFileSync(path, "utf8")).toBe("important");
  });

  it("writes a file whose name takes 250 bytes (the temporary name is cut to fit)", () => {
    const d = folder("long-name");
    const path = join(d, `${"é".repeat(120)}.json`); // 245 bytes
    writeFileAtomic(path, "long");
    writeFileAtomic(path, "longer");
    expect(readFileSync(path, "utf8")).toBe("longer");
    expect(readdirSync(d)).toHaveLength(1);
  });

  it("names this process's open descriptors as descriptors, not as the files they lead to", () => {
    expect(writeTarget("/dev/stdout")).toMatchObject({ kind: "descriptor", fd: 1 });
    expect(writeTarget("/dev/fd/2")).toMatchObject({ kind: "descriptor", fd: 2 });
    expect(writeTarget(`/proc/${process.pid}/fd/1`)).toMatchObject({ kind: "descriptor", fd: 1 });
  });
});

describe("writeToUnusedPath", () => {
  it("takes the first name no other writer has taken, and cleans up after a failed write", () => {
    const d = folder("unused");
    const base = join(d, "handgrad-checkpoint.json");
    // Three writers at one moment: each reserves its own name before writing.
    const names = [1, 2, 3].map((i) =>
      writeToUnusedPath(base, undefined, (path) => writeFileAtomic(path, `run ${i}`)),
    );
    expect(names).toEqual([
      base,
      join(d, "handgrad-checkpoint-2.json"),
      join(d, "handgrad-checkpoint-3.json"),
    ]);
    expect(names.map((n) => readFileSync(n, "utf8"))).toEqual(["run 1", "run 2", "run 3"]);
    expect(() =>
      writeToUnusedPath(base, undefined, () => {
        throw new FileError("disk on fire");
      }),
    ).toThrow("disk on fire");
    expect(existsSync(join(d, "handgrad-checkpoint-4.json"))).toBe(false);
    // The file the run continues in place is written again, not a new name.
    expect(writeToUnusedPath(base, base, (path) => writeFileAtomic(path, "again"))).toBe(base);
    expect(readFileSync(base, "utf8")).toBe("again");
  });
});

describe("writeFileAtomic through symbolic links", () => {
  it("keeps the link and replaces its target, through a chain of links", () => {
    const d = folder("links");
    writeFileSync(join(d, "target.json"), "old");
    symlinkSync("target.json", join(d, "one.json"));
    symlinkSync(join(d, "one.json"), join(d, "two.json"));
    writeFileAtomic(join(d, "two.json"), "new");
    expect(lstatSync(join(d, "two.json")).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(d, "one.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "one.json"))).toBe("target.json");
    expect(readFileSync(join(d, "target.json"), "utf8")).toBe("new");
  });

  it("creates the missing target of a dangling link, relative to the link's folder", () => {
    const d = folder("dangling");
    mkdirSync(join(d, "sub"));
    symlinkSync("sub/model.json", join(d, "link.json"));
    writeFileAtomic(join(d, "link.json"), "made");
    expect(lstatSync(join(d, "link.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, "sub/model.json"), "utf8")).toBe("made");
  });

  it("refuses a read-only target, naming it, and a loop of links", () => {
    const d = folder("link-refusals");
    writeFileSync(join(d, "target.json"), "keep");
    chmodSync(join(d, "target.json"), 0o444);
    symlinkSync("target.json", join(d, "link.json"));
    expect(thrown(() => writeFileAtomic(join(d, "link.json"), "x")).message).toBe(
      `cannot write ${join(d, "link.json")}: its link target ${join(d, "target.json")} is read-only (mode 0444), so handgrad will not replace it; make it writable or choose another path`,
    );
    expect(readFileSync(join(d, "target.json"), "utf8")).toBe("keep");
    symlinkSync("b.json", join(d, "a.json"));
    symlinkSync("a.json", join(d, "b.json"));
    expect(thrown(() => writeFileAtomic(join(d, "a.json"), "x")).message).toBe(
      `cannot write ${join(d, "a.json")}: too many symbolic links (a loop?)`,
    );
  });
});

describe.runIf(isRoot)("writeFileAtomic on devices, FIFOs and sockets (mknod needs root)", () => {
  /** A character device node in the test folder: 1,3 is the null device, 1,7 the full one. */
  function device(name: string, minor: number): string {
    const path = join(dir, name);
    const r = spawnSync("mknod", [path, "c", "1", String(minor)]);
    expect(r.status, String(r.stderr)).toBe(0);
    return path;
  }

  it("writes through a null device: the bytes are discarded and the node stays a device", () => {
    const path = device("null-device", 3);
    const before = statSync(path);
    expect(writeTarget(path)).toEqual({ kind: "through", path });
    writeFileAtomic(path, "discarded");
    assertWritable(path);
    const after = lstatSync(path);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
  });

  it("a device that reports no space gives a FileError naming it, and stays a device", () => {
    const path = device("full-device", 7);
    expect(thrown(() => writeFileAtomic(path, "x".repeat(10_000))).message).toBe(
      `cannot write ${path}: no space left on the device`,
    );
    expect(lstatSync(path).isCharacterDevice()).toBe(true);
  });

  it("a symbolic link to a device writes through the device", () => {
    const path = device("null-for-link", 3);
    symlinkSync(path, join(dir, "null-link"));
    writeFileAtomic(join(dir, "null-link"), "gone");
    expect(lstatSync(join(dir, "null-link")).isSymbolicLink()).toBe(true);
    expect(lstatSync(path).isCharacterDevice()).toBe(true);
  });

  it("a FIFO receives the bytes in one piece and stays a FIFO", async () => {
    const path = join(dir, "pipe");
    expect(spawnSync("mkfifo", [path]).status).toBe(0);
    const reader = spawn("cat", [path]);
    let received = "";
    reader.stdout.on("data", (d: Buffer) => (received += d.toString()));
    const closed = new Promise((done) => reader.on("close", done));
    const content = "line\n".repeat(20_000); // larger than a pipe's buffer
    writeFileAtomic(path, content);
    await closed;
    expect(received).toBe(content);
    expect(lstatSync(path).isFIFO()).toBe(true);
  });

  it("a FIFO nobody reads is an error after a short wait, not a hang", () => {
    const path = join(dir, "lonely-pipe");
    expect(spawnSync("mkfifo", [path]).status).toBe(0);
    const started = Date.now();
    expect(thrown(() => writeFileAtomic(path, "x")).message).toBe(
      `cannot write ${path}: no process is reading it (waited ${FIFO_READER_WAIT_MS / 1000} s for a reader)`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(FIFO_READER_WAIT_MS);
    expect(lstatSync(path).isFIFO()).toBe(true);
  });

  it("refuses a socket and leaves it in place", async () => {
    const path = join(dir, "socket");
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(thrown(() => writeFileAtomic(path, "x")).message).toBe(
        `cannot write ${path}: it is a socket, which handgrad does not write to`,
      );
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

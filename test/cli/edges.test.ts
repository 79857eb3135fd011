/**
 * The command line at the edges: outputs on devices, FIFOs and read-only files, two runs
 * writing one model, a second signal, an unwritable working folder, and the messages and
 * hints a run prints (escaped user text, readable rates, runs that learn nothing).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellWord } from "../../src/cli/output.js";
import { loadCheckpoint, loadModel, saveModel } from "../../src/io/index.js";
import { matrix } from "../../src/linalg/index.js";
import { bin, root, runMain } from "./run.js";

const isRoot = process.getuid?.() === 0;
let dir: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
  dir = mkdtempSync(join(tmpdir(), "handgrad-edges-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUICK = ["--dataset", "moons", "--samples", "40", "--epochs", "2", "--hidden", "3"];

/** Starts `handgrad ARGS` in `cwd`; resolves with its exit code, signal and stderr when it ends. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; stderr: string }>((done) =>
    child.on("close", (code) => done({ code, stderr })),
  );
  return { child, ended };
}

/** Polls until `ready()` holds (at most 60 s). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 10) {
    if (waited > 60_000) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.runIf(isRoot)("outputs on devices and FIFOs (mknod needs root)", () => {
  it("--save onto a null device discards and keeps the device; a full device exits 2 naming it", async () => {
    const nul = join(dir, "null");
    const full = join(dir, "full");
    expect(spawnSync("mknod", [nul, "c", "1", "3"]).status).toBe(0);
    expect(spawnSync("mknod", [full, "c", "1", "7"]).status).toBe(0);
    const discarded = await runMain(["train", ...QUICK, "--save", nul, "--checkpoint", nul]);
    expect(discarded.code, discarded.stderr.join("\n")).toBe(0);
    expect(lstatSync(nul).isCharacterDevice()).toBe(true);
    const refused = await runMain(["train", ...QUICK, "--save", full]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toEqual([
      `handgrad train: cannot write ${full}: no space left on the device`,
    ]);
    expect(lstatSync(full).isCharacterDevice()).toBe(true);
  });

  it("predict --out onto a FIFO passes the CSV to its reader", async () => {
    const model = join(dir, "fifo-model.json");
    expect((await runMain(["train", ...QUICK, "--save", model])).code).toBe(0);
    const csv = join(dir, "fifo-data.csv");
    // The model (moons) takes its features by name: x1, x2.
    writeFileSync(csv, "x1,x2\n0,1\n1,0\n");
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let received = "";
    reader.stdout.on("data", (d: Buffer) => (received += d.toString()));
    const closed = new Promise((done) => reader.on("close", done));
    const r = await runMain(["predict", "--model", model, "--data", csv, "--out", fifo]);
    await closed;
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(received).toMatch(/^probability,class\n[0-9.e-]+,[01]\n[0-9.e-]+,[01]\n$/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("files that must not be replaced", () => {
  it("a read-only --save is refused before training, and kept", async () => {
    const path = join(dir, "read-only.json");
    writeFileSync(path, "mine");
    chmodSync(path, 0o444);
    const r = await runMain(["train", "--dataset", "moons", "--epochs", "100000", "--save", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `handgrad train: cannot write ${path}: it is read-only (mode 0444), so handgrad will not replace it; make it writable or choose another path`,
    ]);
    expect(readFileSync(path, "utf8")).toBe("mine");
  });

  it("a second run writing the same model is refused while the first runs; the lock goes with it", async () => {
    const folder = join(dir, "concurrent");
    mkdirSync(folder);
    const first = start(
      [
        "train",
        "--dataset",
        "moons",
        "--epochs",
        "100000",
        "--save",
        "m.json",
        "--checkpoint",
        "ck.json",
      ],
      folder,
    );
    await until(() => existsSync(join(folder, "ck.json"))); // training, signals handled
    expect(existsSync(join(folder, "m.json.lock"))).toBe(true);
    const second = await runMain(["train", ...QUICK, "--save", join(folder, "m.json")]);
    expect(second.code).toBe(2);
    expect(second.stderr).toHaveLength(1);
    expect(second.stderr[0]).toMatch(
      new RegExp(
        `^handgrad train: ${folder}/m\\.json is being written by another handgrad run \\(pid ${first.child.pid}, since `,
      ),
    );
    first.child.kill("SIGTERM");
    const ended = await first.ended;
    expect(ended.code, ended.stderr).toBe(143);
    expect(existsSync(join(folder, "m.json"))).toBe(true); // the interrupted run's model
    expect(existsSync(join(folder, "m.json.lock"))).toBe(false);
    expect((await runMain(["train", ...QUICK, "--save", join(folder, "m.json")])).code).toBe(0);
  });
});

describe("paths that lead elsewhere", () => {
  it("--save /dev/stdout writes to the descriptor, so >> appends and > keeps the JSON after it", () => {
    const folder = join(dir, "stdout");
    mkdirSync(folder);
    writeFileSync(join(folder, "keep.txt"), "prior\n");
    const script = `node ${JSON.stringify(bin)} train ${QUICK.join(" ")} --save /dev/stdout >> keep.txt && node ${JSON.stringify(bin)} train ${QUICK.join(" ")} --save /dev/stdout --json > out.txt`;
    const r = spawnSync("bash", ["-c", script], { cwd: folder, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const kept = readFileSync(join(folder, "keep.txt"), "utf8");
    expect(kept.startsWith('prior\n{\n  "format": "handgrad-model"')).toBe(true);
    const out = readFileSync(join(folder, "out.txt"), "utf8");
    const model = out.slice(0, out.indexOf("}\n{") + 2);
    expect(JSON.parse(model).format).toBe("handgrad-model");
    expect(JSON.parse(out.slice(model.length)).saved).toBe("/dev/stdout");
    const piped = spawnSync(
      "bash",
      ["-c", `node ${JSON.stringify(bin)} train ${QUICK.join(" ")} --save /dev/stdout | wc -c`],
      { cwd: folder, encoding: "utf8" },
    );
    expect(piped.status, piped.stderr).toBe(0);
    expect(Number(piped.stdout.trim())).toBeGreaterThan(100);
  });

  it("a relative symbolic link inside a linked folder replaces the file it really names", async () => {
    const folder = join(dir, "relative-links");
    mkdirSync(join(folder, "real", "deep"), { recursive: true });
    symlinkSync("real/deep", join(folder, "alias"));
    symlinkSync("../target.json", join(folder, "real", "deep", "link.json"));
    writeFileSync(join(folder, "target.json"), "precious"); // what the link text names from folder/
    const r = await runMain(["train", ...QUICK, "--save", join(folder, "alias", "link.json")]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(readFileSync(join(folder, "target.json"), "utf8")).toBe("precious");
    expect(JSON.parse(readFileSync(join(folder, "real", "target.json"), "utf8")).format).toBe(
      "handgrad-model",
    );
  });

  it("a file of the lock's name that is not a lock is never removed", async () => {
    const folder = join(dir, "foreign-lock");
    mkdirSync(folder);
    const data = join(folder, "d.lock");
    writeFileSync(data, "a,b,y\n0,1,0\n1,0,1\n");
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(data, old, old);
    const r = await runMain([
      "train",
      "--data",
      data,
      "--epochs",
      "1",
      "--save",
      join(folder, "d"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `handgrad train: cannot lock ${join(folder, "d")}: ${data} exists and is not a handgrad lock, so handgrad will not touch it; move it away or choose another path`,
    ]);
    expect(readFileSync(data, "utf8")).toBe("a,b,y\n0,1,0\n1,0,1\n");
  });
});

describe("signals", () => {
  it("a second signal ends the run at once and says what was and was not saved", async () => {
    const folder = join(dir, "second-signal");
    mkdirSync(folder);
    const args = ["train", "--dataset", "moons", "--epochs", "100000", "--save", "m.json"];
    const run = start([...args, "--checkpoint", "ck.json"], folder);
    await until(() => existsSync(join(folder, "ck.json")));
    // Two different signals are never merged into one by the kernel: both reach the process.
    run.child.kill("SIGINT");
    run.child.kill("SIGTERM");
    const { code, stderr } = await run.ended;
    const lines = stderr.trimEnd().split("\n");
    expect(lines, stderr).toHaveLength(1);
    // Which of the two the process handles second is the kernel's choice; the code follows it.
    const second = /second (SIGINT|SIGTERM)/.exec(stderr)?.[1];
    expect(code, stderr).toBe(second === "SIGINT" ? 130 : 143);
    const state = loadCheckpoint(join(folder, "ck.json")).state;
    expect(lines[0]).toBe(
      `handgrad train: second ${second}: stopped at once, without saving; ck.json keeps the run as of step ${state.steps} (the end of epoch ${state.epoch - 1}); the model was not saved to m.json`,
    );
    expect(existsSync(join(folder, "m.json"))).toBe(false);
    expect(existsSync(join(folder, "m.json.lock"))).toBe(false);
  });

  it("a working folder where the signal checkpoint cannot be written is found before training: a warning, and the run goes on", async () => {
    const gone = join(dir, "gone");
    mkdirSync(gone);
    const back = process.cwd();
    process.chdir(gone);
    rmSync(gone, { recursive: true });
    try {
      const r = await runMain(["train", ...QUICK]);
      expect(r.code).toBe(0);
      expect(r.stderr[0]).toBe(
        "handgrad train: warning: cannot write handgrad-checkpoint.json: no such folder (the working folder is gone), so an interrupted run would lose its progress; give --checkpoint FILE in a writable folder to keep it",
      );
      expect(r.stderr[1]).toMatch(/^trained tanh 2→3→1 on moons/);
    } finally {
      process.chdir(back);
    }
  });

  it("a signal while the data loads stops the run after its first slice, checkpointed; the locks go", async () => {
    const folder = join(dir, "signal-while-loading");
    mkdirSync(folder);
    // About 40 MB of CSV: reading it takes a good part of a second.
    const rows = Array.from(
      { length: 600_000 },
      (_, i) => `${(i % 97) / 97},${(i % 89) / 89},${i % 2}`,
    );
    writeFileSync(join(folder, "big.csv"), `a,b,y\n${rows.join("\n")}\n`);
    const run = start(
      [
        "train",
        "--data",
        "big.csv",
        "--epochs",
        "50",
        "--save",
        "m.json",
        "--checkpoint",
        "ck.json",
      ],
      folder,
    );
    await until(() => existsSync(join(folder, "m.json.lock")));
    run.child.kill("SIGINT");
    const { code, stderr } = await run.ended;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(
      /^handgrad train: SIGINT received: stopped in epoch 1 of 50, after step \d+; the checkpoint is in ck\.json and the model so far in m\.json\n/,
    );
    const steps = loadCheckpoint(join(folder, "ck.json")).state.steps;
    expect(steps).toBeGreaterThan(0);
    expect(stderr).toContain(`after step ${steps};`);
    // The model so far records where it stopped (its requested epochs alone would not
    // reproduce it); a run that ends normally writes no such key (the model-file tests).
    const saved = loadModel(join(folder, "m.json"));
    expect(saved.training?.epochs).toBe(50);
    expect(saved.training?.stoppedAfterStep).toBe(steps);
    expect(existsSync(join(folder, "m.json.lock"))).toBe(false);
  });

  it("the signal checkpoint never replaces a file: an existing one gets the next free name", async () => {
    const folder = join(dir, "free-name");
    mkdirSync(folder);
    writeFileSync(join(folder, "handgrad-checkpoint.json"), "an earlier run's");
    const run = start(["train", "--dataset", "moons", "--epochs", "100000"], folder);
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill("SIGINT");
    const { code, stderr } = await run.ended;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("the checkpoint is in handgrad-checkpoint-2.json");
    expect(readFileSync(join(folder, "handgrad-checkpoint.json"), "utf8")).toBe("an earlier run's");
    expect(loadCheckpoint(join(folder, "handgrad-checkpoint-2.json")).state.steps).toBeGreaterThan(
      0,
    );
  });
});

describe("messages", () => {
  it("user text in success lines is escaped as in errors", async () => {
    const folder = join(dir, "line\nbreak");
    mkdirSync(folder);
    const save = join(folder, "m.json");
    const r = await runMain(["train", ...QUICK, "--save", save]);
    expect(r.code).toBe(0);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/saved .*line\\nbreak\/m\.json$/);
    const csv = join(folder, "x.csv");
    writeFileSync(csv, "x1,x2\n0,1\n");
    const p = await runMain([
      "predict",
      "--model",
      save,
      "--data",
      csv,
      "--out",
      join(folder, "p.csv"),
    ]);
    expect(p.code).toBe(0);
    expect(p.stderr[0]).not.toMatch(/\n/);
    expect(p.stderr[0]).toContain("line\\nbreak/p.csv");
  });

  it("a resume command quotes every word so that bash reads back the same words", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 12 }), (text) => {
        const word = text.split("\u0000").join(""); // no argument can hold NUL
        const quoted = shellWord(word);
        expect(quoted).not.toMatch(/[\n\r]/);
        const echoed = spawnSync("bash", ["-c", `printf '%s' ${quoted}`], { encoding: "utf8" });
        expect(echoed.stdout).toBe(word);
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it("a checkpoint given where a model belongs says what it is", async () => {
    const folder = join(dir, "checkpoint-as-model");
    mkdirSync(folder);
    const ck = join(folder, "ck.json");
    expect((await runMain(["train", ...QUICK, "--checkpoint", ck])).code).toBe(0);
    const csv = join(folder, "x.csv");
    writeFileSync(csv, "a,b\n0,1\n");
    const r = await runMain(["predict", "--model", ck, "--data", csv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `handgrad predict: ${ck}: this is a training checkpoint, not a model file: continue the run with handgrad train --resume, or use the model file its run saved`,
    ]);
  });

  it("labels of one class only get their own hint", async () => {
    const csv = join(dir, "one-class.csv");
    writeFileSync(csv, "a,b,y\n0,1,1\n1,0,1\n2,2,1\n");
    const r = await runMain(["train", "--data", csv, "--epochs", "2"]);
    expect(r.code).toBe(0);
    expect(r.stderr[1]).toBe(
      "hint: every training label is 1: with one class there is nothing to learn; check --label and the data",
    );
  });

  it("the divergence hint suggests a readable rate", async () => {
    const r = await runMain(["train", ...QUICK, "--lr", "1e200"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toContain("try a lower learning rate (e.g. --lr 1e199)");
    const slow = await runMain(["train", ...QUICK, "--lr", "3e150"]);
    expect(slow.stderr[0]).toContain("(e.g. --lr 3e149)");
  });

  it("a run that ends no better than its start, or than chance, exits 0 with a hint", async () => {
    // Every weight 0: z2 = 0 on every row, and on balanced labels with equal features the
    // gradient is exactly 0, so the loss stays ln 2 and the accuracy at the chance 50 %.
    const model = join(dir, "zero.json");
    saveModel(model, {
      activation: "tanh",
      params: {
        W1: matrix(2, 3),
        b1: matrix(1, 3),
        W2: matrix(3, 1),
        b2: matrix(1, 1),
      },
    });
    const csv = join(dir, "flat.csv");
    writeFileSync(csv, "a,b,y\n1,1,0\n1,1,1\n1,1,0\n1,1,1\n");
    const r = await runMain(["train", "--data", csv, "--init-model", model, "--epochs", "3"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toHaveLength(2);
    expect(r.stderr[1]).toBe(
      "hint: the training loss did not fall (0.6931 → 0.6931) and train accuracy 50.0% is no better than always answering the commonest of the 2 classes (50.0%); try another --lr (lower if the loss rose, higher if it barely moved), more --epochs, or --standardize",
    );
    // A run that learns prints no hint.
    const learned = await runMain(["train", "--dataset", "moons", "--epochs", "20"]);
    expect(learned.stderr.filter((line) => line.startsWith("hint:"))).toEqual([]);
  });
});

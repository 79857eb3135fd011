/**
 * Checkpoints, resume, signals and divergence through the built command line (`npm run build`
 * first). No assertion depends on timing: a signal is sent once the run has written its first
 * checkpoint, and whatever step it lands on, the resumed run must end bit-identical.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, loadModel } from "../../src/io/index.js";
import { Rng } from "../../src/rng.js";
import { handgrad, type Run } from "./run.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "bin/handgrad.js");

/** Spawns handgrad; `act(child)` is called once `ready()` holds (polled), and the run's end awaited. */
function handgradUntil(
  args: string[],
  cwd: string,
  ready: () => boolean,
  act: (kill: (signal: NodeJS.Signals) => void) => void,
): Promise<Run & { signal: NodeJS.Signals | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let acted = false;
    const poll = setInterval(() => {
      if (!acted && ready()) {
        acted = true;
        clearInterval(poll);
        act((signal) => child.kill(signal));
      }
    }, 5);
    child.on("close", (code, signal) => {
      clearInterval(poll);
      done({ code, signal, stdout, stderr });
    });
  });
}

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
  work = mkdtempSync(join(tmpdir(), "handgrad-resume-"));
});

// About a second of training: long enough that a signal sent after the first checkpoint
// arrives before the end (the test fails loudly, not wrongly, if it does not).
const LONG = ["--dataset", "moons", "--epochs", "1000", "--seed", "3", "--validation", "0.2"];

describe("train --checkpoint / --resume", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s: finishes the step, writes checkpoint and model, exits %i; --resume ends bit-identical",
    async (signal, exitCode) => {
      const dir = mkdtempSync(join(work, "sig-"));
      const whole = handgrad(["train", ...LONG, "--save", "whole.json", "--json"], dir);
      expect(whole.code, whole.stderr).toBe(0);

      const args = ["train", ...LONG, "--save", "part.json", "--checkpoint", "ck.json", "--json"];
      const r = await handgradUntil(
        [...args, "--checkpoint-every", "200"],
        dir,
        () => existsSync(join(dir, "ck.json")),
        (kill) => kill(signal),
      );
      expect(r.code, r.stderr).toBe(exitCode);
      expect(r.stdout).toBe(""); // no summary for an unfinished run
      expect(r.stderr).toMatch(new RegExp(`${signal} received: stopped in epoch \\d+ of 1000`));
      expect(r.stderr).toMatch(/the checkpoint is in ck\.json and the model so far in part\.json/);
      const command = /resume with: handgrad train (.*)$/m.exec(r.stderr)?.[1] ?? "";
      expect(command).toMatch(/--resume ck\.json$/);
      const checkpoint = loadCheckpoint(join(dir, "ck.json"));
      expect(checkpoint.state.epoch).toBeLessThanOrEqual(1000); // really interrupted
      expect(loadModel(join(dir, "part.json")).params.W1.data).toEqual(
        checkpoint.state.params.W1.data,
      );

      // The printed command, as a shell would split it (no quoting needed here).
      const resumed = handgrad(["train", ...command.split(" ")], dir);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(readFileSync(join(dir, "part.json"), "utf8")).toBe(
        readFileSync(join(dir, "whole.json"), "utf8"),
      );
      const [a, b] = [JSON.parse(whole.stdout), JSON.parse(resumed.stdout)];
      expect(b.history).toEqual(a.history);
      expect(b.steps).toBe(a.steps);
      // The run's checkpoint now says it is complete; resuming it again changes nothing.
      expect(loadCheckpoint(join(dir, "ck.json")).state.epoch).toBe(1001);
      expect(handgrad(["train", ...command.split(" ")], dir).code).toBe(0);
      expect(readFileSync(join(dir, "part.json"), "utf8")).toBe(
        readFileSync(join(dir, "whole.json"), "utf8"),
      );
    },
  );

  it("an interrupted run without --checkpoint saves its state next to --save", async () => {
    const dir = mkdtempSync(join(work, "default-"));
    // A run that cannot finish; a signal before the handlers are in place kills it, so wait
    // longer each time until one lands during training.
    const endless = ["train", "--dataset", "xor", "--epochs", "10000000", "--save", "m.json"];
    let r: Run & { signal: NodeJS.Signals | null } = {
      code: null,
      signal: null,
      stdout: "",
      stderr: "",
    };
    for (let wait = 200; r.code !== 130 && wait < 20_000; wait *= 2) {
      r = await handgradUntil(
        endless,
        dir,
        () => true,
        (kill) => setTimeout(() => kill("SIGINT"), wait),
      );
    }
    expect(r.code, r.stderr).toBe(130);
    expect(loadCheckpoint(join(dir, "m.json.checkpoint.json")).state.steps).toBeGreaterThan(0);
    loadModel(join(dir, "m.json"));
    expect(r.stderr).toMatch(/--resume m\.json\.checkpoint\.json$/m);
  }, 60_000);

  it("refuses to resume with other options or other data, naming what differs", () => {
    const dir = mkdtempSync(join(work, "refuse-"));
    const base = ["train", "--dataset", "moons", "--epochs", "3", "--seed", "1"];
    expect(handgrad([...base, "--checkpoint", "ck.json"], dir).code).toBe(0);
    const refused = (extra: string[], message: RegExp, code = 2) => {
      const r = handgrad([...base, ...extra, "--resume", "ck.json"], dir);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    };
    refused(["--lr", "0.1"], /this run has --lr 0\.1 but the checkpoint's has --lr 0\.5/);
    refused(["--batch-size", "full"], /--batch-size full but the checkpoint's has --batch-size 32/);
    refused(["--no-shuffle"], /--no-shuffle but the checkpoint's has no --no-shuffle/);
    refused(["--samples", "300"], /--samples 300 but the checkpoint's has no --samples/);
    refused(["--hidden", "8"], /--hidden 8 contradicts ck\.json, which has 16 hidden units/);
    refused(["--init", "he"], /--init shapes a fresh model/);
    const other = handgrad(
      ["train", "--dataset", "circles", "--epochs", "3", "--seed", "1", "--resume", "ck.json"],
      dir,
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--dataset circles but the checkpoint's has --dataset moons/);
    // Same options, other rows: the fingerprint catches it (a CSV edited in place, say).
    const csv = join(root, "data/breast_cancer.csv");
    const csvBase = ["train", "--data", csv, "--standardize", "--epochs", "2"];
    expect(handgrad([...csvBase, "--checkpoint", "csv.json"], dir).code).toBe(0);
    const checkpoint = readFileSync(join(dir, "csv.json"), "utf8");
    const tampered = checkpoint.replace(
      /"sha256": "[0-9a-f]{64}"/,
      `"sha256": "${"0".repeat(64)}"`,
    );
    rmSync(join(dir, "csv.json"));
    spawnSync("sh", ["-c", `cat > csv.json`], { cwd: dir, input: tampered });
    const r = handgrad([...csvBase, "--resume", "csv.json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^handgrad train: cannot resume from csv\.json: the data differs/m);
  });

  it("refuses a damaged checkpoint with the key that is wrong", () => {
    const dir = mkdtempSync(join(work, "bad-"));
    expect(
      handgrad(["train", "--dataset", "xor", "--epochs", "2", "--checkpoint", "ck.json"], dir).code,
    ).toBe(0);
    const text = readFileSync(join(dir, "ck.json"), "utf8");
    const cases: [string, RegExp][] = [
      [text.replace('"steps": ', '"steps": -'), /"steps" must be a non-negative integer/],
      [text.replace(/"words": \[\d+/, '"words": [1.5'), /"rng.words" must be 4 integers/],
      [
        text.replace(/"W1": \[\n\s+\[[-\d.e]+/, '"W1": [\n    ["NaN"'),
        /"W1"\[0\]\[0\] must be a finite number/,
      ],
      [
        text.replace('"loss": ', '"loss": "x", "l": '),
        /"history"\[0\]\.loss must be a finite number/,
      ],
      [text.slice(0, 200), /not valid JSON/],
    ];
    for (const [bad, message] of cases) {
      spawnSync("sh", ["-c", "cat > bad.json"], { cwd: dir, input: bad });
      const r = handgrad(
        ["train", "--dataset", "xor", "--epochs", "2", "--resume", "bad.json"],
        dir,
      );
      expect(r.code, bad.slice(0, 80)).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("train --resume, for every update rule, schedule and early stopping", () => {
  // Each about a second; stopped by SIGTERM once its first checkpoint is written, resumed with
  // the printed command: the saved model must be byte-identical to the uninterrupted run's.
  const matrix: [string, string[]][] = [
    ["sgd, step schedule, L2", ["--schedule", "step", "--decay-every", "300", "--l2", "0.0001"]],
    [
      "momentum, step schedule, warm-up, clip, L2",
      [
        "--optimizer",
        "momentum",
        "--lr",
        "0.1",
        "--schedule",
        "step",
        "--decay-every",
        "300",
      ].concat(["--warmup", "300", "--clip-norm", "2", "--l2", "0.0001"]),
    ],
    [
      "nesterov, cosine with warm-up, clip (plain engine)",
      ["--optimizer", "nesterov", "--lr", "0.05", "--schedule", "cosine", "--warmup", "500"].concat(
        ["--clip-norm", "2", "--engine", "plain"],
      ),
    ],
    [
      "adam, cosine to lr-min with warm-up, clip, L2",
      ["--optimizer", "adam", "--lr", "0.005", "--schedule", "cosine", "--lr-min", "0.0005"].concat(
        ["--warmup", "200", "--clip-norm", "1", "--l2", "0.0001", "--beta1", "0.8"],
      ),
    ],
    // Stops early at epoch 952 (best 932), long after the interruption.
    ["sgd, early stopping", ["--patience", "20", "--min-delta", "0.00001"]],
  ];
  it.each(matrix)(
    "%s: an interrupted run resumed ends byte-identical",
    async (_, extra) => {
      const dir = mkdtempSync(join(work, "matrix-"));
      const whole = handgrad(["train", ...LONG, ...extra, "--save", "whole.json", "--json"], dir);
      expect(whole.code, whole.stderr).toBe(0);
      const args = ["train", ...LONG, ...extra, "--save", "part.json", "--checkpoint", "ck.json"];
      const r = await handgradUntil(
        [...args, "--checkpoint-every", "200", "--json"],
        dir,
        () => existsSync(join(dir, "ck.json")),
        (kill) => kill("SIGTERM"),
      );
      expect(r.code, r.stderr).toBe(143);
      const stoppedAt = loadCheckpoint(join(dir, "ck.json")).state;
      expect(stoppedAt.epoch).toBeLessThan(900); // really interrupted, before the end
      const command = /resume with: handgrad train (.*)$/m.exec(r.stderr)?.[1] ?? "";
      const resumed = handgrad(["train", ...command.split(" ")], dir);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(readFileSync(join(dir, "part.json"), "utf8")).toBe(
        readFileSync(join(dir, "whole.json"), "utf8"),
      );
      const [a, b] = [JSON.parse(whole.stdout), JSON.parse(resumed.stdout)];
      expect(b.history).toEqual(a.history);
      expect(b.earlyStop).toEqual(a.earlyStop);
      expect(b.training).toEqual(a.training);
      if (extra.includes("--patience")) expect(a.earlyStop?.epoch).toBeGreaterThan(stoppedAt.epoch);
    },
    60_000,
  );

  it("refuses other optimizer, schedule, L2 or early-stopping flags, naming them; old checkpoints resume as sgd", () => {
    const dir = mkdtempSync(join(work, "refuse-optim-"));
    const base = ["train", "--dataset", "moons", "--epochs", "3", "--seed", "1"];
    const adam = ["--validation", "0.2", "--optimizer", "adam", "--lr", "0.01"];
    const rest = ["--schedule", "cosine", "--patience", "5"];
    expect(handgrad([...base, ...adam, ...rest, "--checkpoint", "ck.json"], dir).code).toBe(0);
    const refused = (flags: string[], message: RegExp, checkpoint = "ck.json") => {
      const r = handgrad([...base, ...flags, "--resume", checkpoint], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    };
    const nesterov = ["--validation", "0.2", "--optimizer", "nesterov", "--lr", "0.01", ...rest];
    refused(
      nesterov,
      /this run has --optimizer nesterov but the checkpoint's has --optimizer adam/,
    );
    refused(
      [...adam, ...rest, "--beta1", "0.8"],
      /has --beta1 0\.8 but the checkpoint's has --beta1 0\.9/,
    );
    refused(
      [...adam, "--patience", "5"],
      /has --schedule constant but the checkpoint's has --schedule cosine/,
    );
    refused([...adam, ...rest, "--l2", "0.01"], /has --l2 0\.01 but the checkpoint's has --l2 0;/);
    refused(
      [...adam, "--schedule", "cosine"],
      /has no --patience but the checkpoint's has --patience 5/,
    );
    refused(
      [...adam, ...rest, "--warmup", "2"],
      /has --warmup 2 but the checkpoint's has no --warmup/,
    );
    refused(
      [...adam, ...rest, "--no-restore-best"],
      /has --no-restore-best but the checkpoint's has no --no-restore-best/,
    );
    refused(
      [...adam, ...rest, "--clip-norm", "1"],
      /has --clip-norm 1 but the checkpoint's has no --clip-norm/,
    );
    const same = handgrad([...base, ...adam, ...rest, "--resume", "ck.json"], dir);
    expect(same.code, same.stderr).toBe(0);

    // A checkpoint written before these flags records none of them: it resumes as plain SGD
    // (with no flag, or with their defaults) and refuses another rule.
    const sgd = handgrad([...base, "--checkpoint", "new.json", "--checkpoint-every", "5"], dir);
    expect(sgd.code, sgd.stderr).toBe(0);
    const text = readFileSync(join(dir, "new.json"), "utf8");
    const old = text.replace(
      /, "optimizer": "sgd", "momentum": null, .*?"no-restore-best": null/,
      "",
    );
    expect(old).not.toBe(text);
    expect(old).not.toMatch(/"options": \{[^\n]*"l2"/);
    spawnSync("sh", ["-c", "cat > old.json"], { cwd: dir, input: old });
    expect(handgrad([...base, "--resume", "old.json"], dir).code).toBe(0);
    const defaults = ["--optimizer", "sgd", "--l2", "0", "--schedule", "constant", "--warmup", "0"];
    const explicit = handgrad([...base, ...defaults, "--resume", "old.json"], dir);
    expect(explicit.code, explicit.stderr).toBe(0);
    refused(
      ["--optimizer", "momentum"],
      /has --optimizer momentum but the checkpoint's has --optimizer sgd/,
      "old.json",
    );
  });
});

describe("SIGKILL at any moment", () => {
  it("leaves every file whole; a run killed again and again and resumed each time ends bit-identical", async () => {
    const dir = mkdtempSync(join(work, "kill-"));
    const args = [
      "train",
      "--dataset",
      "moons",
      "--samples",
      "200",
      "--epochs",
      "150",
      "--seed",
      "5",
    ];
    const started = Date.now();
    const whole = handgrad([...args, "--save", "whole.json"], dir);
    expect(whole.code, whole.stderr).toBe(0);
    // Kill at moments spread over a whole run's time on this machine now (under load a process
    // takes longer to start, and kills within a fixed 400 ms could all land before the first
    // checkpoint, found in a fresh clone's CI run).
    const span = Math.max(400, Math.round(0.75 * (Date.now() - started)));
    const rng = new Rng(2024);
    const kills = 20;
    let killed = 0;
    let resumedFrom = 0;
    for (let i = 0; i < kills; i++) {
      const resume = existsSync(join(dir, "ck.json"));
      if (resume) resumedFrom++;
      const delay = rng.integer(span);
      const r = await handgradUntil(
        [
          ...args,
          "--save",
          "m.json",
          "--checkpoint",
          "ck.json",
          "--checkpoint-every",
          "1",
          ...(resume ? ["--resume", "ck.json"] : []),
        ],
        dir,
        () => true,
        (kill) => setTimeout(() => kill("SIGKILL"), delay),
      );
      if (r.signal === "SIGKILL") killed++;
      else expect(r.code, r.stderr).toBe(0);
      // Whatever the moment, the files that exist parse and pass every check.
      if (existsSync(join(dir, "ck.json"))) loadCheckpoint(join(dir, "ck.json"));
      if (existsSync(join(dir, "m.json"))) loadModel(join(dir, "m.json"));
      // Only temporary files (.NAME.PID.HEX.tmp) and the killed run's locks (NAME.lock, stale:
      // the next run takes them over) may be left beside them.
      for (const name of readdirSync(dir)) {
        expect(name).toMatch(
          /^(whole|m|ck)\.json$|^\.(m|ck)\.json\.\d+\.[0-9a-f]+\.tmp$|^(m|ck)\.json\.lock$/,
        );
      }
    }
    expect(killed).toBeGreaterThan(kills / 2); // the kills did land during runs
    expect(resumedFrom).toBeGreaterThan(0);
    const last = handgrad(
      [...args, "--save", "m.json", "--checkpoint", "ck.json", "--resume", "ck.json"],
      dir,
    );
    expect(last.code, last.stderr).toBe(0);
    expect(readFileSync(join(dir, "m.json"), "utf8")).toBe(
      readFileSync(join(dir, "whole.json"), "utf8"),
    );
  }, 60_000);
});

describe("divergence", () => {
  it("never writes NaN: across learning rates, every saved model and checkpoint loads", () => {
    const dir = mkdtempSync(join(work, "div-"));
    const codes = new Set<number | null>();
    for (const lr of ["5", "50", "500", "1e4", "1e8", "1e200"]) {
      const r = handgrad(
        [
          "train",
          "--dataset",
          "spirals",
          "--activation",
          "relu",
          "--epochs",
          "40",
          "--lr",
          lr,
          "--save",
          `m${lr}.json`,
          "--checkpoint",
          `c${lr}.json`,
        ],
        dir,
      );
      codes.add(r.code);
      expect([0, 3]).toContain(r.code);
      for (const name of [`m${lr}.json`, `c${lr}.json`]) {
        expect(readFileSync(join(dir, name), "utf8")).not.toMatch(/NaN|Infinity/);
      }
      loadModel(join(dir, `m${lr}.json`));
      const checkpoint = loadCheckpoint(join(dir, `c${lr}.json`));
      if (r.code === 3) {
        expect(r.stderr).toMatch(/diverged at epoch \d+, step \d+ \(learning rate [\d.e+]+\)/);
        expect(r.stderr).toMatch(/try a lower learning rate \(e\.g\. --lr /);
        expect(r.stderr).toMatch(
          new RegExp(`its checkpoint is in c${lr.replace("+", "\\+")}\\.json`),
        );
        // The checkpoint is the saved model's state: the end of the last good epoch.
        expect(checkpoint.state.row).toBe(0);
        expect(loadModel(join(dir, `m${lr}.json`)).params.W1.data).toEqual(
          checkpoint.state.params.W1.data,
        );
      }
    }
    expect(codes.has(3)).toBe(true);
  });

  it("--divergence-factor stops a finite explosion; 0 turns it off", () => {
    const dir = mkdtempSync(join(work, "factor-"));
    const base = [
      "train",
      "--dataset",
      "moons",
      "--activation",
      "relu",
      "--epochs",
      "30",
      "--lr",
      "30",
    ];
    const on = handgrad([...base, "--divergence-factor", "5"], dir);
    expect(on.code, on.stderr).toBe(3);
    expect(on.stderr).toMatch(/exceeds 5 × its best value/);
    expect(handgrad([...base, "--divergence-factor", "1"], dir).stderr).toMatch(
      /--divergence-factor must be 0 \(off\) or a number > 1/,
    );
  });
});

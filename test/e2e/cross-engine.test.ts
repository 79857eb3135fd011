/**
 * The same bits in every JavaScript engine: one probe, run on the built library (dist/) in
 * Node and in Debian's Chromium (a newer V8, with its own Math.exp, Math.log, Math.sin, …),
 * must give identical float64 results, compared entry by entry with Object.is:
 *  - handgrad's own exp, expm1, log, log1p, sinpi and cospi on about 100 000 seeded inputs each
 *    (uniform over their working ranges, and random bit patterns over every binade);
 *  - Rng's normal deviates (Box–Muller on log, sinpi, cospi);
 *  - every toy data set, two and three classes;
 *  - short training runs through train(): sigmoid and softmax heads; tanh, relu, sigmoid and
 *    leaky relu; sgd, momentum, nesterov and adam; constant, cosine (with warm-up) and step
 *    schedules; L2; the fast and the plain engine. Every recorded loss and the final weights;
 *  - the Classifier: its model text, character for character.
 * The probe also evaluates Math.exp, Math.expm1, Math.log, Math.log1p and Math.sin/Math.cos
 * of π·x on the same inputs, and the test records (without asserting) how many of those
 * differ between the two engines: test-results/cross-engine.json. Those differences are why
 * handgrad has its own functions. Needs the build (`npm run build`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServing } from "../cli/playground-process.js";
import { root } from "../cli/run.js";
import { openServed, RESULTS, type Playground } from "./browser.js";

/** The built modules the probe uses, by the name it uses them under. */
const MODULES = {
  exp: "numerics/exp.js",
  expm1: "numerics/expm1.js",
  log: "numerics/log.js",
  sinpi: "numerics/sinpi.js",
  rng: "rng.js",
  toy: "data/toy.js",
  linalg: "linalg/index.js",
  nn: "nn/index.js",
  train: "train/index.js",
  model: "model/index.js",
} as const;

/** The library as the probe sees it (the types of the sources dist/ is built from). */
interface Library {
  readonly exp: typeof import("../../src/numerics/exp.js");
  readonly expm1: typeof import("../../src/numerics/expm1.js");
  readonly log: typeof import("../../src/numerics/log.js");
  readonly sinpi: typeof import("../../src/numerics/sinpi.js");
  readonly rng: typeof import("../../src/rng.js");
  readonly toy: typeof import("../../src/data/toy.js");
  readonly linalg: typeof import("../../src/linalg/index.js");
  readonly nn: typeof import("../../src/nn/index.js");
  readonly train: typeof import("../../src/train/index.js");
  readonly model: typeof import("../../src/model/index.js");
}

/** What the probe returns: float64 arrays as base64 of their bytes, and texts. */
interface ProbeResult {
  /** Results of handgrad's own code: must be identical in both engines. */
  readonly own: Record<string, string>;
  /** Math.* on the same inputs: recorded, not asserted. */
  readonly math: Record<string, string>;
  /** Model texts of the Classifier. */
  readonly texts: Record<string, string>;
}

/** Inputs per function. */
const COUNT = 100_000;

/**
 * The probe: pure computation on `lib` and the engine's globals only (it is sent to the page
 * as its source text, so it may not close over anything of this module).
 */
function probe(lib: Library, count: number): ProbeResult {
  const encode = (values: ArrayLike<number>): string => {
    const bytes = new Uint8Array(Float64Array.from(values).buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const rng = new lib.rng.Rng(20240611);
  const cell = new Float64Array(1);
  const words = new Uint32Array(cell.buffer);
  const high = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  /** A double of random sign and significand whose exponent is uniform in [0, maxBiased]. */
  const randomBits = (maxBiased: number, positive: boolean): number => {
    const sign = positive ? 0 : rng.nextUint32() & 0x80000000;
    words[high] = (sign | (rng.integer(maxBiased + 1) << 20) | (rng.nextUint32() & 0xfffff)) >>> 0;
    words[1 - high] = rng.nextUint32();
    return cell[0]!;
  };
  const inputs = (uniform: () => number, bits: () => number): Float64Array =>
    Float64Array.from({ length: count }, (_, i) => (i % 2 === 0 ? uniform() : bits()));
  const xs = {
    exp: inputs(
      () => rng.uniformIn(-746, 710),
      () => randomBits(1032, false), // |x| < 2^10, subnormal x included
    ),
    log: inputs(
      () => rng.uniformIn(0, 4),
      () => randomBits(2046, true), // every positive binade
    ),
    log1p: inputs(
      () => rng.uniformIn(-1, 3),
      () => randomBits(2046, true),
    ),
    trig: inputs(
      () => rng.uniformIn(-4, 4),
      () => randomBits(1023 + 60, false), // |x| < 2^61
    ),
  };
  const own: Record<string, string> = {
    exp: encode(xs.exp.map(lib.exp.exp)),
    expm1: encode(xs.exp.map(lib.expm1.expm1)),
    log: encode(xs.log.map(lib.log.log)),
    log1p: encode(xs.log1p.map(lib.log.log1p)),
    sinpi: encode(xs.trig.map(lib.sinpi.sinpi)),
    cospi: encode(xs.trig.map(lib.sinpi.cospi)),
  };
  const math: Record<string, string> = {
    exp: encode(xs.exp.map(Math.exp)),
    expm1: encode(xs.exp.map(Math.expm1)),
    log: encode(xs.log.map(Math.log)),
    log1p: encode(xs.log1p.map(Math.log1p)),
    sin: encode(xs.trig.map((x) => Math.sin(Math.PI * x))),
    cos: encode(xs.trig.map((x) => Math.cos(Math.PI * x))),
  };

  for (const seed of [0, 1, 123456789]) {
    const normals = new lib.rng.Rng(seed);
    own[`normals seed ${seed}`] = encode(Array.from({ length: count / 4 }, () => normals.normal()));
  }

  const toySets: [string, number][] = [
    ...lib.toy.TOY_NAMES.map((name): [string, number] => [name, 2]),
    ["spirals", 3],
    ["blobs", 3],
    ["blobs", 7],
  ];
  for (const [name, classes] of toySets) {
    const data = lib.toy.makeDataset(name, { samples: 1000, seed: 3, classes });
    own[`${name} K=${classes} X`] = encode(data.X.data);
    own[`${name} K=${classes} y`] = encode(data.y.data);
  }

  const runs = [
    { data: "moons", K: 2, f: "tanh", optimizer: "sgd", engine: "fast" },
    { data: "circles", K: 2, f: "relu", optimizer: "momentum", schedule: "cosine", engine: "fast" },
    { data: "xor", K: 2, f: "tanh", optimizer: "adam", schedule: "step", engine: "plain" },
    { data: "moons", K: 2, f: "sigmoid", optimizer: "adam", l2: 1e-3, engine: "fast" },
    { data: "moons", K: 2, f: "leaky-relu", optimizer: "nesterov", engine: "plain" },
    { data: "spirals", K: 3, f: "relu", optimizer: "adam", schedule: "cosine", engine: "fast" },
    { data: "spirals", K: 3, f: "tanh", optimizer: "sgd", schedule: "cosine", engine: "plain" },
    { data: "blobs", K: 4, f: "tanh", optimizer: "momentum", engine: "fast" },
  ] as const;
  runs.forEach((run, i) => {
    const data = lib.toy.makeDataset(run.data, { samples: 300, seed: i, classes: run.K });
    const params = lib.nn.initParams({
      inputs: 2,
      hidden: 8,
      outputs: run.K === 2 ? 1 : run.K,
      init: lib.nn.defaultInitFor(run.f),
      seed: 10 + i,
    });
    const schedule = "schedule" in run ? run.schedule : "constant";
    const result = lib.train.train(params, data, {
      activation: run.f,
      learningRate: run.optimizer === "adam" ? 0.05 : 0.3,
      epochs: 25,
      batchSize: 32,
      seed: 20 + i,
      optimizer: run.optimizer,
      schedule,
      ...(schedule === "step" ? { decayEvery: 10, decayRate: 0.5 } : {}),
      ...(schedule === "cosine" ? { warmup: 20, lrMin: 0.01 } : {}),
      ...("l2" in run ? { l2: run.l2 } : {}),
      engine: run.engine,
    });
    const label = `train ${run.data} K=${run.K} ${run.f} ${run.optimizer} ${schedule} ${run.engine}`;
    own[`${label}: losses`] = encode(result.history.map((r) => r.loss));
    own[`${label}: weights`] = encode(
      lib.nn.PARAM_NAMES.flatMap((name) => Array.from(result.params[name].data)),
    );
  });

  const texts: Record<string, string> = {};
  for (const [name, classes] of [
    ["circles", 2],
    ["blobs", 3],
  ] as const) {
    const data = lib.toy.makeDataset(name, { samples: 400, seed: 7, classes });
    const labels = Array.from(data.y.data, (v) => `class ${v}`);
    const classifier = new lib.model.Classifier({ seed: 5, epochs: 30, validation: 0.25 });
    classifier.fit(lib.linalg.toRows(data.X), labels, { features: data.featureNames });
    texts[`Classifier ${name} K=${classes}`] = classifier.toModelText();
  }
  return { own, math, texts };
}

/** Decodes `encode`'s base64 back to the doubles. */
function decode(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
}

/** The indices where two arrays of doubles differ (Object.is: −0 ≠ +0, NaN = NaN). */
function differences(a: Float64Array, b: Float64Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!Object.is(a[i], b[i])) found.push(i);
  return found;
}

let pg: Playground;
let node: ProbeResult;
let chromium: ProbeResult;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  const parts = await Promise.all(
    Object.values(MODULES).map((path) => import(pathToFileURL(join(root, "dist", path)).href)),
  );
  const lib = Object.fromEntries(Object.keys(MODULES).map((k, i) => [k, parts[i]])) as Library;
  node = probe(lib, COUNT);
  const server = await startServing([join(root, "examples/browser/serve.mjs"), "0"]);
  pg = await openServed(server, "examples/browser/");
  // A string, as vitest would rewrite an import() written in a function.
  chromium = await pg.page.evaluate<ProbeResult>(`(async () => {
    const modules = ${JSON.stringify(MODULES)};
    const parts = await Promise.all(Object.values(modules).map((path) => import("/dist/" + path)));
    const lib = Object.fromEntries(Object.keys(modules).map((k, i) => [k, parts[i]]));
    return (${probe.toString()})(lib, ${COUNT});
  })()`);
  figures["node"] = process.versions.node;
  figures["v8 in node"] = process.versions.v8;
  figures["chromium"] = pg.browser.version();
}, 180_000);

afterAll(async () => {
  writeFileSync(join(RESULTS, "cross-engine.json"), `${JSON.stringify(figures, null, 2)}\n`);
  await pg?.close();
});

describe("the same bits in Node and in Chromium", () => {
  it("every result of handgrad's own code is identical, float for float (Object.is)", () => {
    expect(Object.keys(chromium.own).sort()).toEqual(Object.keys(node.own).sort());
    const mismatches: string[] = [];
    let floats = 0;
    for (const [name, text] of Object.entries(node.own)) {
      const [ours, theirs] = [decode(text), decode(chromium.own[name]!)];
      floats += ours.length;
      expect(ours.length, name).toBeGreaterThan(0);
      const at = differences(ours, theirs);
      if (at.length > 0) {
        const i = at[0]!;
        mismatches.push(`${name}: ${at.length} differ, first [${i}] ${ours[i]} vs ${theirs[i]}`);
      }
    }
    figures["ownFloatsCompared"] = floats;
    figures["ownFloatsDiffering"] = mismatches;
    expect(mismatches).toEqual([]);
    expect(floats).toBeGreaterThan(6 * COUNT);
    // the training runs trained (finite losses, lower at the end): the comparison is of real runs
    for (const [name, text] of Object.entries(node.own).filter(([n]) => n.endsWith("losses"))) {
      const losses = decode(text);
      expect(losses.every(Number.isFinite), name).toBe(true);
      expect(losses.at(-1), name).toBeLessThan(losses[0]!);
    }
  });

  it("the Classifier's model files are identical, character for character", () => {
    expect(Object.keys(chromium.texts).sort()).toEqual(Object.keys(node.texts).sort());
    for (const [name, text] of Object.entries(node.texts)) {
      expect(text.length, name).toBeGreaterThan(100);
      expect(chromium.texts[name], name).toBe(text);
    }
  });

  it("records how many Math.* results differ between the engines on the same inputs (not asserted)", () => {
    const counts: Record<string, number> = {};
    for (const [name, text] of Object.entries(node.math)) {
      const [ours, theirs] = [decode(text), decode(chromium.math[name]!)];
      expect(theirs.length, name).toBe(ours.length);
      counts[name] = differences(ours, theirs).length;
    }
    figures["inputsPerFunction"] = COUNT;
    figures["mathDiffering"] = counts;
    console.log(
      `Math.* results that differ between Node ${process.versions.node} and Chromium ${pg.browser.version()} on ${COUNT} inputs each: ${Object.entries(
        counts,
      )
        .map(([name, n]) => `${name} ${n}`)
        .join(", ")} (sin and cos of π·x)`,
    );
  });

  it("threw nothing, logged no error and asked nothing of any other server", () => {
    expect(pg.errors).toEqual([]);
    expect(pg.foreignRequests).toEqual([]);
  });
});

/**
 * A model file with a duplicated key, through the command line in-process (main(args, output)):
 * `handgrad predict` refuses it with exit 2 and one stderr line naming the key and its line.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serializeModel } from "../../src/formats/index.js";
import { initParams } from "../../src/nn/index.js";
import { runMain } from "./run.js";

const folder = mkdtempSync(join(tmpdir(), "handgrad-strict-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("handgrad predict --model with a duplicated key", () => {
  it("exits 2 with one line naming the key and its line", async () => {
    const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 1 });
    const model = serializeModel({ activation: "tanh", params });
    const dup = join(folder, "dup.json");
    const data = join(folder, "x.csv");
    // A second "W1" just before "b1": JSON.parse would silently keep it.
    const bad = model.replace('  "b1": ', '  "W1": [[9, 9, 9], [9, 9, 9]],\n  "b1": ');
    const line = bad.slice(0, bad.indexOf("[[9, 9, 9]")).split("\n").length;
    writeFileSync(dup, bad);
    writeFileSync(data, "a,b,y\n0,1,0\n1,0,1\n");
    // The same file without the second "W1" predicts.
    writeFileSync(join(folder, "ok.json"), model);
    expect(
      (await runMain(["predict", "--model", join(folder, "ok.json"), "--data", data])).code,
    ).toBe(0);

    const { code, stdout, stderr } = await runMain(["predict", "--model", dup, "--data", data]);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      `handgrad predict: ${dup} line ${line}: duplicated key "W1" (JSON keeps only the last; remove one)`,
    ]);
  });
});

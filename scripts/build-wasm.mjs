// Assembles src/linalg/wasm/kernels.wat with the npm package wabt and writes the bytes, base64,
// into src/linalg/wasm/kernels.generated.ts (committed, so tsc and bundlers need no build step;
// test/linalg/wasm-generated.test.ts fails when it is stale). `--check` only compares.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { assembleKernels, GENERATED_PATH } from "./wasm-assemble.mjs";

const check = process.argv.includes("--check");
const text = await assembleKernels();
const current = await readFile(GENERATED_PATH, "utf8").catch(() => "");
if (check) {
  if (current !== text) {
    console.error(`${fileURLToPath(GENERATED_PATH)} is stale: run npm run build:wasm`);
    process.exit(1);
  }
} else if (current !== text) {
  await writeFile(GENERATED_PATH, text);
  console.log(`wrote ${fileURLToPath(GENERATED_PATH)}`);
}

// Assembles src/linalg/wasm/kernels.wat with the npm package wabt and writes the bytes, base64,
// into src/linalg/wasm/kernels.generated.ts and its shared-memory variant into
// kernels-shared.generated.ts (committed, so tsc and bundlers need no build step;
// test/linalg/wasm-generated.test.ts fails when it is stale). `--check` only compares.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  assembleKernels,
  assembleSharedKernels,
  GENERATED_PATH,
  SHARED_GENERATED_PATH,
} from "./wasm-assemble.mjs";

const check = process.argv.includes("--check");
for (const [path, text] of [
  [GENERATED_PATH, await assembleKernels()],
  [SHARED_GENERATED_PATH, await assembleSharedKernels()], // threads
]) {
  const current = await readFile(path, "utf8").catch(() => "");
  if (check) {
    if (current !== text) {
      console.error(`${fileURLToPath(path)} is stale: run npm run build:wasm`);
      process.exit(1);
    }
  } else if (current !== text) {
    await writeFile(path, text);
    console.log(`wrote ${fileURLToPath(path)}`);
  }
}

// Rewrites the blocks of docs/ pages that quote command output (see docs-blocks.mjs); needs a
// build. Run: npm run docs:blocks (npm run docs runs it too).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOC_BLOCKS, withDocBlocks } from "./docs-blocks.mjs";

const docs = resolve(import.meta.dirname, "../docs");
for (const [file, blocks] of Object.entries(DOC_BLOCKS)) {
  const path = join(docs, file);
  const text = readFileSync(path, "utf8");
  writeFileSync(
    path,
    withDocBlocks(file, text, (name) => blocks[name]()),
  );
  console.log(`docs/${file}: ${Object.keys(blocks).join(", ")} updated`);
}

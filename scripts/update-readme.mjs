// Rewrites the README blocks that quote command output (see readme-blocks.mjs). Run: npm run readme
import { readFileSync, writeFileSync } from "node:fs";
import { BLOCKS, withBlocks } from "./readme-blocks.mjs";

const readme = readFileSync("README.md", "utf8");
writeFileSync(
  "README.md",
  withBlocks(readme, (name) => BLOCKS[name]()),
);
console.log(`README.md: ${Object.keys(BLOCKS).join(", ")} updated`);

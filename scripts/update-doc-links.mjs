// Moves the line numbers of the code links in docs/*.md to where their snippets now are
// (see doc-links.mjs). Run: npm run docs:links
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { updateCodeLinks } from "./doc-links.mjs";

const docs = resolve(import.meta.dirname, "..", "docs");
let failed = false;
for (const name of readdirSync(docs)
  .filter((n) => n.endsWith(".md"))
  .sort()) {
  const file = join(docs, name);
  const before = readFileSync(file, "utf8");
  try {
    const { markdown, moved } = updateCodeLinks(before, docs);
    if (markdown !== before) writeFileSync(file, markdown);
    for (const m of moved)
      console.log(`docs/${name}: \`${m.snippet}\` ${m.path} L${m.from} → L${m.to}`);
    console.log(
      `docs/${name}: ${moved.length === 0 ? "all links current" : `${moved.length} links moved`}`,
    );
  } catch (error) {
    console.error(`docs/${name}: ${error instanceof Error ? error.message : String(error)}`);
    failed = true;
  }
}
if (failed) process.exitCode = 1;

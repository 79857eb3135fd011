// Code links in the markdown docs: [`snippet`](../src/path.ts#L42) promises that line 42 of
// src/path.ts contains the snippet verbatim. These functions find such links, check the
// promise, and move the line numbers to wherever the snippet now is. Plain Node, no deps.
// `npm run docs:links` (scripts/update-doc-links.mjs) rewrites docs/*.md;
// test/docs/derivation.test.ts fails when a link no longer holds.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** [`snippet`](relative/path/into/src/file#L<n>): the link text is one code span. */
const CODE_LINK = /\[`([^`\n]+)`\]\(((?:\.{1,2}\/)*src\/[^)\s#]+)#L(\d+)\)/g;

/**
 * Every code link in `markdown` whose target is a relative path into src/ with a line anchor,
 * in document order: { snippet, path (as written), line, index (offset of the link), docLine }.
 */
export function findCodeLinks(markdown) {
  const fenced = fencedRanges(markdown);
  const links = [];
  for (const match of markdown.matchAll(CODE_LINK)) {
    // A link written inside a fenced code block is an example, not a link: it is not rendered.
    if (fenced.some(([start, end]) => match.index >= start && match.index < end)) continue;
    const [, snippet, path, line] = match;
    links.push({
      snippet,
      path,
      line: Number(line),
      index: match.index,
      docLine: markdown.slice(0, match.index).split("\n").length,
    });
  }
  return links;
}

/** [start, end) offsets of the fenced code blocks (``` or ~~~ fences) of `markdown`. */
function fencedRanges(markdown) {
  const ranges = [];
  let offset = 0;
  let open = null; // { fence, start } while inside a block
  for (const line of markdown.split("\n")) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (open === null && fence !== undefined) open = { fence, start: offset };
    else if (
      open !== null &&
      fence !== undefined &&
      fence[0] === open.fence[0] &&
      fence.length >= open.fence.length &&
      line.trim() === fence
    ) {
      ranges.push([open.start, offset + line.length]);
      open = null;
    }
    offset += line.length + 1;
  }
  if (open !== null) ranges.push([open.start, markdown.length]);
  return ranges;
}

/** The 1-based numbers of the lines of `source` that contain `snippet`. */
export function snippetLines(source, snippet) {
  const found = [];
  source.split("\n").forEach((text, i) => {
    if (text.includes(snippet)) found.push(i + 1);
  });
  return found;
}

/** The file a link points at, resolved from the directory of the markdown file. */
export function linkTarget(link, docDir) {
  return resolve(docDir, link.path);
}

/**
 * The broken links of `markdown` (a file in `docDir`): one problem per link whose target file
 * is missing, or whose line does not contain the snippet. Each problem is
 * { link, target, kind: "missing-file" | "moved" | "vanished" | "ambiguous", message }.
 * Returns [] when every link holds.
 */
export function checkCodeLinks(markdown, docDir) {
  const problems = [];
  for (const link of findCodeLinks(markdown)) {
    const target = linkTarget(link, docDir);
    const where = `${link.path}#L${link.line} (doc line ${link.docLine})`;
    if (!existsSync(target)) {
      problems.push({
        link,
        target,
        kind: "missing-file",
        message: `\`${link.snippet}\` links to ${where}, but ${link.path} does not exist`,
      });
      continue;
    }
    const source = readFileSync(target, "utf8");
    const lineText = source.split("\n")[link.line - 1];
    if (lineText !== undefined && lineText.includes(link.snippet)) continue;
    const found = snippetLines(source, link.snippet);
    if (found.length === 1) {
      problems.push({
        link,
        target,
        kind: "moved",
        message: `\`${link.snippet}\` is not on ${where}: it moved to line ${found[0]} of ${link.path}; run \`npm run docs:links\` to update the line numbers`,
      });
    } else if (found.length === 0) {
      problems.push({
        link,
        target,
        kind: "vanished",
        message: `\`${link.snippet}\` is not on ${where} and occurs nowhere in ${link.path}: the linked code changed or disappeared, so the doc must be updated by hand`,
      });
    } else {
      problems.push({
        link,
        target,
        kind: "ambiguous",
        message: `\`${link.snippet}\` is not on ${where} and occurs on lines ${found.join(", ")} of ${link.path}: make the snippet specific enough to occur once`,
      });
    }
  }
  return problems;
}

/**
 * `markdown` with every code link's line number set to the one line of its target file that
 * contains the snippet. Throws an Error naming the snippet and the file when the file is
 * missing or the snippet is on no line or on more than one. Returns { markdown, moved }, where
 * moved lists { snippet, path, from, to } for each link whose number changed.
 */
export function updateCodeLinks(markdown, docDir) {
  const moved = [];
  let out = "";
  let last = 0;
  for (const link of findCodeLinks(markdown)) {
    const target = linkTarget(link, docDir);
    if (!existsSync(target)) {
      throw new Error(
        `doc-links: \`${link.snippet}\` links to ${link.path}, which does not exist (doc line ${link.docLine})`,
      );
    }
    const found = snippetLines(readFileSync(target, "utf8"), link.snippet);
    if (found.length !== 1) {
      throw new Error(
        found.length === 0
          ? `doc-links: \`${link.snippet}\` occurs on no line of ${link.path} (doc line ${link.docLine}): the linked code changed or disappeared; update the doc by hand`
          : `doc-links: \`${link.snippet}\` occurs on ${found.length} lines of ${link.path} (${found.join(", ")}; doc line ${link.docLine}): use a snippet that occurs on exactly one line`,
      );
    }
    const to = found[0];
    if (to !== link.line)
      moved.push({ snippet: link.snippet, path: link.path, from: link.line, to });
    const anchor = `\`${link.snippet}\`](${link.path}#L`;
    const start = link.index + 1; // after "["
    out += markdown.slice(last, start) + anchor + `${to})`;
    last = start + anchor.length + String(link.line).length + 1;
  }
  return { markdown: out + markdown.slice(last), moved };
}

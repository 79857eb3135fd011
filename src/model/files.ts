/**
 * How a Classifier reads and writes model files, when it can. model/ is browser-safe: it
 * imports no io/ and no node:* (test/layers.test.ts checks), so the two functions that touch
 * the file system are handed to it from above. The Node entry (src/index.ts) hands it io/'s
 * saveModel and loadModel as it loads; the browser entry (src/browser.ts) does not, and there
 * save() and load() throw a UsageError that says what to use instead (toJSON/toModelText and
 * Classifier.fromJSON, on text the page fetches or reads from a file input).
 *
 * Why handed in rather than imported (the choices, with what each costs):
 * - model/ imports io/ (as before): a bundler for a browser follows it to node:fs, node:crypto.
 * - a Node subclass of a browser Classifier: two classes for one idea; `instanceof` and the
 *   return type of Classifier.fromJSON would differ between the entries.
 * - package.json "imports" with a "browser" condition (#model-files): every tool (tsc, Vite,
 *   vitest, the layers test) would have to resolve conditions, and a browser bundle made
 *   without the condition would silently hold the file-system version.
 * - save() importing io/ dynamically: save() becomes async, and a bundler still emits the
 *   node:fs chunk.
 * The cost of the choice: module state set once, by the Node entry, when it loads.
 */
import { UsageError } from "../errors.js";
import type { Model } from "../formats/index.js";

/** Model files on a file system: the functions a Classifier's save() and load() call. */
export interface ModelFiles {
  /** Writes the model file to `path` (atomically). */
  readonly save: (path: string, model: Model) => void;
  /** Reads and validates the model file at `path`. */
  readonly load: (path: string) => Model;
}

let files: ModelFiles | undefined;

/** Gives every Classifier file access (the Node entry calls it with io/'s functions). */
export function useModelFiles(modelFiles: ModelFiles): void {
  files = modelFiles;
}

/** The file access for `what`, or a UsageError saying what works without a file system. */
export function modelFiles(what: "save" | "load"): ModelFiles {
  if (files !== undefined) return files;
  throw new UsageError(
    what === "save"
      ? "Classifier: save() needs Node's file system; in a browser use toJSON() (or toModelText()) and Classifier.fromJSON()"
      : "Classifier.load() needs Node's file system; in a browser read the file's text (fetch, a file input) and pass it to Classifier.fromJSON()",
  );
}

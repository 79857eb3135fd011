/** Model files on disk: the format of formats/model-format.ts, read and written (atomically). */
import { ModelFileError } from "../errors.js";
import { parseModel, serializeModel, type Model } from "../formats/index.js";
import { readUtf8File } from "./files.js";
import { writeFileAtomic } from "./write.js";

/** Writes the model file atomically (a temporary file renamed over `path`). */
export function saveModel(path: string, model: Model): void {
  writeFileAtomic(path, serializeModel(model));
}

/** Reads and validates a model file; a ModelFileError says what is wrong. */
export function loadModel(path: string): Model {
  return parseModel(readUtf8File(path, ModelFileError), path);
}

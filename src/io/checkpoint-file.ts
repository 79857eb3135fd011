/**
 * Checkpoint files on disk: the format of formats/checkpoint-format.ts, read and written
 * (atomically), and the fingerprint of the rows a run trains on (SHA-256, node:crypto), which
 * a resumed run compares with the checkpoint's.
 */
import { createHash } from "node:crypto";
import { ModelFileError } from "../errors.js";
import {
  parseCheckpoint,
  serializeCheckpoint,
  type Checkpoint,
  type DataFingerprint,
} from "../formats/index.js";
import type { LabelledData } from "../train/index.js";
import { readUtf8File } from "./files.js";
import { writeFileAtomic } from "./write.js";

/** The fingerprint of the rows a run trains (and validates) on. */
export function dataFingerprint(
  source: string,
  train: LabelledData,
  validation?: LabelledData,
): DataFingerprint {
  const hash = createHash("sha256");
  for (const set of validation ? [train, validation] : [train]) {
    for (const m of [set.X, set.y]) {
      hash.update(`${m.rows}x${m.cols};`);
      hash.update(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    }
  }
  return {
    source,
    trainRows: train.X.rows,
    validationRows: validation?.X.rows ?? 0,
    sha256: hash.digest("hex"),
  };
}

/** Writes the checkpoint file atomically (a temporary file renamed over `path`). */
export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeFileAtomic(path, serializeCheckpoint(checkpoint));
}

/** Reads and validates a checkpoint file; a ModelFileError says what is wrong. */
export function loadCheckpoint(path: string): Checkpoint {
  return parseCheckpoint(readUtf8File(path, ModelFileError), path);
}

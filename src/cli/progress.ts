/** A one-line progress bar on stderr (the caller draws it only when stderr is a terminal: Output.interactive). */
import type { EpochRecord } from "../train/index.js";

export function progressBar(
  epochs: number,
  stream: NodeJS.WriteStream = process.stderr,
): {
  onEpoch: (record: EpochRecord) => void;
  done: () => void;
} {
  if (epochs === 0) return { onEpoch: () => undefined, done: () => undefined };
  const width = 30;
  return {
    onEpoch: (record) => {
      // At most about 100 redraws, however many epochs.
      if (record.epoch % Math.max(1, Math.floor(epochs / 100)) !== 0 && record.epoch !== epochs)
        return;
      const filled = Math.round((width * record.epoch) / epochs);
      const bar = "#".repeat(filled) + ".".repeat(width - filled);
      stream.write(
        `\r[${bar}] epoch ${record.epoch}/${epochs}  loss ${record.loss.toFixed(4)}  acc ${(100 * record.accuracy).toFixed(1)}%`,
      );
    },
    done: () => void stream.write("\n"),
  };
}

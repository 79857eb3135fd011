/** A one-line progress bar on stderr (the caller draws it only when stderr is a terminal: Output.interactive). */
import type { EpochRecord } from "../train/index.js";
import { sci } from "./report.js";

/**
 * `learningRate`, when given, is asked at each redraw for the rate of the last step (undefined
 * before the first): the bar then shows it, for runs whose rate changes (a schedule, warm-up).
 */
export function progressBar(
  epochs: number,
  stream: Pick<NodeJS.WriteStream, "write"> = process.stderr,
  learningRate?: () => number | undefined,
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
      const rate = learningRate?.();
      stream.write(
        `\r[${bar}] epoch ${record.epoch}/${epochs}  loss ${record.loss.toFixed(4)}  acc ${(100 * record.accuracy).toFixed(1)}%` +
          (rate === undefined ? "" : `  lr ${sci(rate).padEnd(9)}`),
      );
    },
    done: () => void stream.write("\n"),
  };
}

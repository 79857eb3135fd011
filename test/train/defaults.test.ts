/**
 * One set of defaults for `handgrad train` and a Classifier: the CLI's help states the
 * library's values (η, epochs, rows per step, hidden units, activation, seed).
 */
import { describe, expect, it } from "vitest";
import { TRAIN_FLAGS } from "../../src/cli/commands/train.js";
import { DATA_FLAGS, DEFAULT_HIDDEN as CLI_HIDDEN, NETWORK_FLAGS } from "../../src/cli/setup.js";
import { DEFAULT_ACTIVATION, DEFAULT_HIDDEN } from "../../src/nn/index.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_EPOCHS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_SEED,
} from "../../src/train/index.js";

describe("the defaults of a run", () => {
  it("are the ones the CLI uses and shows in its help", () => {
    expect(TRAIN_FLAGS["lr"]?.help).toContain(`(${DEFAULT_LEARNING_RATE})`);
    expect(TRAIN_FLAGS["epochs"]?.help).toContain(`(${DEFAULT_EPOCHS})`);
    expect(TRAIN_FLAGS["batch-size"]?.help).toContain(`(${DEFAULT_BATCH_SIZE})`);
    expect(CLI_HIDDEN).toBe(DEFAULT_HIDDEN);
    expect(NETWORK_FLAGS["hidden"]?.help).toContain(`(${DEFAULT_HIDDEN})`);
    expect(NETWORK_FLAGS["activation"]?.help).toMatch(new RegExp(`\\(${DEFAULT_ACTIVATION}\\)$`));
    expect(DATA_FLAGS["seed"]?.help).toContain(`(${DEFAULT_SEED})`);
  });
});

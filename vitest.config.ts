import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Experiments run in beforeAll hooks: a loaded 2-core CI machine needs more than 10 s.
    hookTimeout: 120_000,
    pool: "forks",
  },
});

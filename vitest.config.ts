import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Experiments run in beforeAll hooks: a loaded 2-core CI machine needs more than 10 s.
    hookTimeout: 120_000,
    // expect.poll waits 1 s by default: a page loading on a loaded 2-core CI machine took
    // longer (a fresh clone's run failed on the playground's first text). Passing polls end as
    // soon as they pass, so only a failure waits the whole time.
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
  },
});

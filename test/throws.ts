/** What a call throws, for tests that assert both the error's type and its whole message. */
import { expect } from "vitest";

/** Asserts that `run` throws an instance of `type` whose message is exactly `message`. */
export function expectThrows(
  run: () => unknown,
  type: abstract new (...args: never[]) => Error,
  message: string | RegExp,
): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  const text = (caught as Error).message;
  if (typeof message === "string") expect(text).toBe(message);
  else expect(text).toMatch(message);
}

import { describe, expect, it } from "vitest";
import { Rng, streamSeed, type RngStream } from "../src/rng.js";

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe("Rng", () => {
  it("is reproducible from its seed and from a saved state", () => {
    expect(draw(new Rng(42), 5)).toEqual(draw(new Rng(42), 5));
    const rng = new Rng(7);
    rng.normal(); // leaves a cached deviate in the state
    const copy = Rng.fromState(rng.state());
    expect([rng.normal(), ...draw(rng, 3)]).toEqual([copy.normal(), ...draw(copy, 3)]);
  });

  it("gives different sequences to seeds that differ only above bit 32", () => {
    for (const [a, b] of [
      [0, 2 ** 32],
      [2 ** 32, 2654435769],
      [1, 2 ** 52 + 1],
    ]) {
      expect(draw(new Rng(a as number), 4)).not.toEqual(draw(new Rng(b as number), 4));
    }
  });

  it("uniform() is in [0, 1) with mean ½ and variance 1/12; normal() has mean 0, variance 1", () => {
    const rng = new Rng(1);
    const n = 200_000;
    const u = Array.from({ length: n }, () => rng.uniform());
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const variance = (v: number[]) => {
      const m = mean(v);
      return mean(v.map((x) => (x - m) ** 2));
    };
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.002);
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.01);
  });

  it("permutation() is a permutation, and integer(n) has no modulo bias", () => {
    const rng = new Rng(3);
    const p = Array.from(rng.permutation(1000));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.integer(3)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it("streamSeed gives each stream of a run its own seed", () => {
    const streams: RngStream[] = ["init", "shuffle", "split", "data", "check"];
    const seeds = streams.map((s) => streamSeed(0, s));
    expect(new Set(seeds).size).toBe(streams.length);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    expect(streamSeed(1, "init")).not.toBe(streamSeed(0, "init"));
  });
});

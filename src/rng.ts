/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna, 2018) seeded by
 * splitmix32. Its whole state is four 32-bit words plus a cached normal deviate, so a run
 * can be reproduced bit for bit from a seed (or resumed from a saved state), in every engine:
 * the normal deviates use handgrad's own log, sinpi and cospi (numerics/), not Math.log,
 * Math.sin and Math.cos, whose last bits ECMAScript leaves to each engine.
 */
import { UsageError } from "./errors.js";
import { log } from "./numerics/log.js";
import { cospi, sinpi } from "./numerics/sinpi.js";

/** A generator's whole state, as state() returns it and Rng.fromState takes it (JSON-safe). */
export interface RngState {
  /** xoshiro128**'s four 32-bit words, as unsigned integers. */
  readonly words: readonly [number, number, number, number];
  /** The second normal deviate of the last Box–Muller pair, not yet returned (or null). */
  readonly spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator, xoshiro128** seeded by splitmix32: the same seed gives
 * the same draws on every platform, and state()/fromState() save and restore it exactly.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** A generator seeded by a non-negative integer seed below 2^53. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new UsageError(`seed must be a non-negative integer, got ${seed}`);
    }
    // Two splitmix32 sequences, one from the low and one from the high 32 bits of the seed,
    // are combined word by word: every seed below 2^53 gives its own 128-bit state.
    const low = splitmix32(seed >>> 0);
    const high = splitmix32(Math.floor(seed / 2 ** 32) ^ 0x6a09e667);
    this.s0 = (low() ^ high()) >>> 0;
    this.s1 = (low() ^ high()) >>> 0;
    this.s2 = (low() ^ high()) >>> 0;
    this.s3 = (low() ^ high()) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state xoshiro must avoid
  }

  /** The generator's full state (for checkpoints; the words as unsigned 32-bit integers). */
  state(): RngState {
    const words = [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] as const;
    return { words, spareNormal: this.spareNormal };
  }

  /** A generator that continues exactly where `state` was taken. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.words;
    rng.spareNormal = state.spareNormal;
    return rng;
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /**
   * Standard normal N(0, 1), by the Box–Muller transform: √(−2 log u1)·(cos 2πu2, sin 2πu2),
   * the angle taken in half-turns (cospi(2u2), sinpi(2u2): 2u2 is exact, π never rounds).
   * The second deviate is cached.
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log(u1) is finite
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * log(u1));
    this.spareNormal = radius * sinpi(2 * u2);
    return radius * cospi(2 * u2);
  }

  /** A uniform integer in 0..n−1 (rejection sampling: no modulo bias). */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`integer(n) needs 1 ≤ n ≤ 2^32, got ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

/** A splitmix32 sequence (the seeding step of xoshiro): successive well-mixed 32-bit words. */
function splitmix32(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The independent random streams a run draws from, each seeded from the run's one seed. */
export type RngStream = "init" | "shuffle" | "split" | "data" | "check";
const STREAM_INDEX: Record<RngStream, number> = {
  init: 1,
  shuffle: 2,
  split: 3,
  data: 4,
  check: 5,
};

/**
 * The seed of one stream of a run: a 53-bit mix of the run seed and the stream, so that,
 * e.g., the shuffling order is not the same sequence as the weight draws.
 */
export function streamSeed(seed: number, stream: RngStream): number {
  const words = new Rng(seed);
  for (let i = 0; i < 2 * STREAM_INDEX[stream]; i++) words.nextUint32(); // two words per stream
  return (words.nextUint32() >>> 11) * 2 ** 32 + words.nextUint32();
}

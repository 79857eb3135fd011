/**
 * The oracle checked against a second, naive evaluation at 200 digits: with that many digits
 * the textbook forms log(1 + e^z), 1/(1 + e^{−z}) and log(1 − e^x) lose nothing that matters
 * for |z| ≤ 120 and |x| ≥ 1e−40, so any slip in the oracle's series or branches shows up.
 */
import { Decimal } from "decimal.js";
import { expect, test } from "vitest";
import { seededUniform } from "./points.js";
import { log1mexpTruth, truthAt } from "./truth.js";
import { exactOf } from "./ulp.js";

const Wide = Decimal.clone({ precision: 200, minE: -9e15, maxE: 9e15 });

/** |a − b| / |b|, as a double. */
function relativeDifference(a: Decimal, b: Decimal): number {
  return new Wide(a).minus(b).abs().div(b.abs()).toNumber();
}

const uniform = seededUniform(99);
const MAGNITUDES = [1e-40, 1e-16, 1e-10, 0.3, 1, 17, 33.3, 36.7, 40, 100, 120];
const POINTS = [
  ...MAGNITUDES.flatMap((m) => [m, -m]),
  ...Array.from({ length: 60 }, () => -120 + 240 * uniform()),
];

test("the oracle's σ, softplus(z) and softplus(−z) agree with 200-digit textbook forms to 1e−55", () => {
  for (const z of POINTS) {
    const truth = truthAt(z);
    const zWide = new Wide(exactOf(z));
    const ez = Wide.exp(zWide);
    const sigmoid = ez.div(ez.plus(1));
    const softplus = Wide.ln(ez.plus(1));
    const softplusOfNegative = Wide.ln(Wide.exp(zWide.neg()).plus(1));
    expect(relativeDifference(truth.sigmoid, sigmoid), `σ at ${z}`).toBeLessThan(1e-55);
    expect(relativeDifference(truth.softplus, softplus), `softplus at ${z}`).toBeLessThan(1e-55);
    expect(
      relativeDifference(truth.softplusOfNegative, softplusOfNegative),
      `softplus(−z) at ${z}`,
    ).toBeLessThan(1e-55);
  }
});

test("the oracle's log(1 − e^x) agrees with the 200-digit textbook form to 1e−55", () => {
  for (const x of POINTS.map((z) => -Math.abs(z))) {
    const direct = Wide.ln(new Wide(1).minus(Wide.exp(new Wide(exactOf(x)))));
    expect(relativeDifference(log1mexpTruth(x), direct), `log1mexp at ${x}`).toBeLessThan(1e-55);
  }
});

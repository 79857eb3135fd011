/**
 * The units' colour scale (web/src/lib/colour.ts activationScale): fitted to the activation's
 * range, so that a sigmoid unit's map (a in (0, 1)) shows both ends of the diverging map and
 * not a single orange (the review of issue 15 found every sigmoid map one colour).
 */
import { describe, expect, it } from "vitest";
import { activationScale, divergingColour } from "../../web/src/lib/colour.js";

/** "blue", "orange" or "white" for a colour of the diverging map. */
function hue([r, , b]: readonly [number, number, number]): string {
  if (Math.abs(r - b) < 1) return "white";
  return b > r ? "blue" : "orange";
}
const colourOf = (activation: string, a: number, top = 1): string => {
  const { centre, half } = activationScale(activation, top);
  return hue(divergingColour(a - centre, half));
};

describe("activationScale", () => {
  it("centres sigmoid at 0.5: below blue, above orange", () => {
    expect(colourOf("sigmoid", 0.2)).toBe("blue");
    expect(colourOf("sigmoid", 0.5)).toBe("white");
    expect(colourOf("sigmoid", 0.8)).toBe("orange");
    // centred at 0, as before the fix, every a in (0, 1) was orange
    expect(hue(divergingColour(0.2, 1))).toBe("orange");
    expect(activationScale("sigmoid", 0.9).legend).toBe("a = σ(z1): 0 blue, 0.5 white, 1 orange");
  });

  it("spans tanh's (−1, 1) whatever the values, and relu's [0, top]", () => {
    expect(activationScale("tanh", 0.1)).toMatchObject({ centre: 0, half: 1 });
    expect(colourOf("tanh", -0.5)).toBe("blue");
    expect(colourOf("relu", 0, 3)).toBe("white");
    expect(divergingColour(3 - 0, activationScale("relu", 3).half)).toEqual([255, 127, 14]);
    expect(activationScale("relu", 3).legend).toBe(
      "a = relu(z1): 0 white, 3.00 orange (the largest a over the units' maps)",
    );
    expect(colourOf("leaky-relu", -0.01, 1)).toBe("blue");
  });
});

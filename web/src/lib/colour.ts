/**
 * Colour maps. Classes get fixed hues; a point of the boundary heat map mixes the class hues
 * by their probabilities and fades to white where the network is unsure. Weights use a
 * diverging map: blue for negative, white for 0, orange for positive. A hidden unit's
 * activation uses the same map, centred in the activation's range (activationScale).
 */

/** RGB of class k (cycled for K > 8). */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [23, 190, 207],
];

export function classColour(k: number): readonly [number, number, number] {
  return CLASS_COLOURS[k % CLASS_COLOURS.length] as readonly [number, number, number];
}

/**
 * The RGB of a heat-map cell with class probabilities P[0..K) (K ≥ 2): the probability-weighted
 * mix of the class colours, blended towards white by the uncertainty 1 − (K·max P − 1)/(K − 1)
 * (0 when one class is certain, 1 when all are equally likely).
 */
export function mixClasses(P: ArrayLike<number>): [number, number, number] {
  const K = P.length;
  let r = 0;
  let g = 0;
  let b = 0;
  let top = 0;
  for (let k = 0; k < K; k++) {
    const p = P[k]!;
    const [cr, cg, cb] = classColour(k);
    r += p * cr;
    g += p * cg;
    b += p * cb;
    if (p > top) top = p;
  }
  const certainty = K > 1 ? (K * top - 1) / (K - 1) : 1;
  const white = 1 - 0.75 * certainty; // keep a tint even where certain: the points stay visible
  return [r + (255 - r) * white * 0.6, g + (255 - g) * white * 0.6, b + (255 - b) * white * 0.6];
}

/** The RGB of weight w on the diverging map scaled to ±scale (clamped). */
export function divergingColour(w: number, scale: number): [number, number, number] {
  const t = scale > 0 ? Math.max(-1, Math.min(1, w / scale)) : 0;
  const [r, g, b] = t < 0 ? [31, 119, 180] : [255, 127, 14];
  const s = Math.abs(t);
  return [255 + (r - 255) * s, 255 + (g - 255) * s, 255 + (b - 255) * s];
}

/**
 * The diverging map for a hidden unit's activation a = f(z1), fitted to f's range: tanh's
 * (−1, 1) centred at 0, sigmoid's (0, 1) centred at 0.5 (centred at 0 every a would be
 * orange), relu's and leaky relu's from 0 to `top`, the largest |a| over the units drawn.
 * Colour a with divergingColour(a − centre, half); `legend` says the scale in words.
 */
export function activationScale(
  activation: string,
  top: number,
): { readonly centre: number; readonly half: number; readonly legend: string } {
  if (activation === "tanh")
    return { centre: 0, half: 1, legend: "a = tanh(z1): −1 blue, 0 white, +1 orange" };
  if (activation === "sigmoid")
    return { centre: 0.5, half: 0.5, legend: "a = σ(z1): 0 blue, 0.5 white, 1 orange" };
  const largest = top > 0 ? top.toPrecision(3) : "0";
  return {
    centre: 0,
    half: top,
    legend:
      activation === "relu"
        ? `a = relu(z1): 0 white, ${largest} orange (the largest a over the units' maps)`
        : `a = leaky-relu(z1): 0 white, ${largest} orange, negative (at most 1% of it) pale blue; ${largest} is the largest |a| over the units' maps`,
  };
}

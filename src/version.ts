/**
 * The package's version, for what a model file records of the handgrad that trained it. The
 * package.json's "version" is the source; test/version.test.ts fails when the two differ.
 * A constant, not a read of package.json, so that it works in a browser bundle.
 */
export const HANDGRAD_VERSION = "0.1.0";

// Empties dist/ before tsc writes it, so that the package never ships a stale file: the
// compiled form of a deleted module, or a source map from an earlier build.
import { rmSync } from "node:fs";
import { URL } from "node:url";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

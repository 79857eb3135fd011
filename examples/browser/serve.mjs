// Serves the repository on http://127.0.0.1:PORT/ (loopback only) with the playground's static
// server, for the page in examples/browser/: node examples/browser/serve.mjs [PORT] (default
// 8158, 0 for a free one), then open the URL it prints. Needs the build (`npm ci` makes it).
// The page loads the ES module build, dist/browser.js, and the data, data/breast_cancer.csv.
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../dist/cli/static-server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const server = await startStaticServer(root, Number(process.argv[2] ?? 8158));
console.error(`serving ${server.url}examples/browser/ (Ctrl-C stops)`);

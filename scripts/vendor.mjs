// Copies the front-end files that the templates load from node_modules/ into static/vendor/.
// Runs as npm's postinstall step, so `npm ci` leaves the app ready to serve; nothing
// third-party is committed (static/vendor/ and node_modules/ are in .gitignore).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = [["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx.min.js"]];

for (const [from, to] of files) {
  mkdirSync(dirname(join(root, to)), { recursive: true });
  copyFileSync(join(root, from), join(root, to));
  console.log(`vendor: ${from} -> ${to}`);
}

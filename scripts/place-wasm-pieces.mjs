// Run by scripts/post-build.mjs first: puts the pieces scripts/split-wasm.mjs cut out of an
// app (target/wasm-split/<app>/) beside the files Trunk made of it. Each piece, and the
// loader wasm-split-cli wrote for them, is named by a hash of its content, as Trunk names
// its own files (the server caches such names for a year), and fetched with its integrity
// hash; the app's script is pointed at the loader, and the page fetches the loader with
// the app's script (`modulepreload`, with its integrity hash). An app that was not split
// is left alone.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { integrity, rewriteScript } from "./page-integrity.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? "/";
if (!dir) {
  console.error("place-wasm-pieces.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)");
  process.exit(1);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LOADER = "./__wasm_split.js";
const contentHash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** `text` with every `before"./from"` made `before"./to"`; fails when there is none. */
function repoint(text, from, to, where, before = "") {
  if (!text.includes(`${before}"./${from}"`)) {
    console.error(`place-wasm-pieces.mjs: ${where} does not name ${from}`);
    process.exit(1);
  }
  return text.replaceAll(`${before}"./${from}"`, `${before}"./${to}"`);
}

for (const script of readdirSync(dir).filter((n) => /^[a-z_]+-[0-9a-f]+\.js$/.test(n))) {
  const source = readFileSync(join(dir, script), "utf8");
  if (!source.includes(`from "${LOADER}"`)) continue;
  const app = script.replace(/-[0-9a-f]+\.js$/, "");
  const pieces = join(root, "target", "wasm-split", app);
  if (!existsSync(join(pieces, "__wasm_split.js"))) {
    console.error(`place-wasm-pieces.mjs: ${script} loads pieces, but ${pieces} has none (was it built by scripts/build.sh?)`);
    process.exit(1);
  }
  let loader = repoint(readFileSync(join(pieces, "__wasm_split.js"), "utf8"), `${app}.js`, script, "the loader");
  for (const piece of readdirSync(pieces).filter((n) => n.endsWith(".wasm"))) {
    const bytes = readFileSync(join(pieces, piece));
    const named = `${app}-${contentHash(bytes)}_${piece}`;
    copyFileSync(join(pieces, piece), join(dir, named));
    loader = repoint(loader, piece, named, "the loader");
    // Fetched with its integrity hash, as the page fetches the app's own files.
    const fetched = `new URL("./${named}", import.meta.url)`;
    if (!loader.includes(`fetch(${fetched})`)) {
      console.error(`place-wasm-pieces.mjs: the loader does not fetch ${named} as expected`);
      process.exit(1);
    }
    loader = loader.replace(`fetch(${fetched})`, `fetch(${fetched}, { integrity: "${integrity(bytes)}" })`);
    console.log(`place-wasm-pieces.mjs: ${piece} → ${named}`);
  }
  const loaderName = `${app}-${contentHash(loader)}_split.js`;
  writeFileSync(join(dir, loaderName), loader);
  // Only the import: the WebAssembly names its imports by the loader's first name, which the
  // script's table of imports keeps.
  rewriteScript(dir, script, repoint(source, LOADER.slice(2), loaderName, script, "from "));
  const preload = `<link rel="modulepreload" crossorigin href="${publicUrl}${loaderName}" integrity="${integrity(loader)}">`;
  for (const page of readdirSync(dir).filter((n) => n.endsWith(".html"))) {
    const html = readFileSync(join(dir, page), "utf8");
    if (html.includes(script)) writeFileSync(join(dir, page), html.replace("</head>", `${preload}</head>`));
  }
}

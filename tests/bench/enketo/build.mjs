// Builds the benchmark's peer: Enketo (enketo-core, the form engine of ODK and KoboToolbox,
// from npm) showing an XForm of the same questions as Tongxing's standard home visit
// (xform.mjs, from core's form definition), as a county would host it: the form turned to
// HTML by enketo-transformer at build time and put in the page with its model, the engine
// bundled and minified by esbuild (ES2019, like the app's own JavaScript), its formhub theme
// compiled by sass, and every file written with a brotli and a gzip copy beside it.
// The transform runs in headless Chromium (enketo-transformer's web build, on the browser's
// XSLT): its Node build needs the native libxslt package, compiled against headers fetched
// from outside the registries.
// Usage: node tests/bench/enketo/build.mjs [out dir] (default target/bench/enketo)
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import * as sass from "sass";
import { chromium } from "@playwright/test";
import { args, executablePath } from "../../e2e/chromium.mjs";
import { xformOf } from "./xform.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const out = resolve(root, process.argv[2] ?? "target/bench/enketo");
const modules = join(here, "node_modules");

const form = JSON.parse(
  execFileSync("cargo", ["run", "-q", "-p", "tongxing-core", "--example", "home_visit_form"], { cwd: root, encoding: "utf8" }),
);
const xform = xformOf(form);
const { form: formHtml, model } = await transformInBrowser(xform);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "home_visit.xml"), xform);

await build({
  entryPoints: [join(here, "page.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  outfile: join(out, "enketo.js"),
  nodePaths: [modules],
  logLevel: "warning",
  legalComments: "none",
  // Fonts and images a script might import are left out: the page has none of its own, and
  // the theme's web font is not served (its request is a 404, no bytes), which spares the
  // peer a few KiB.
  loader: { ".woff": "empty", ".woff2": "empty", ".ttf": "empty", ".eot": "empty", ".svg": "empty", ".png": "empty", ".gif": "empty" },
});

const css = sass.compile(join(modules, "enketo-core/src/sass/formhub/formhub.scss"), {
  loadPaths: [modules, join(modules, "enketo-core/src/sass")],
  // The widgets' stylesheets name their packages by where they lie in Enketo's own repository.
  importers: [
    {
      findFileUrl(url) {
        const prefix = "/packages/enketo-core/node_modules/";
        return url.startsWith(prefix) ? pathToFileURL(join(modules, url.slice(prefix.length))) : null;
      },
    },
  ],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "mixed-decls", "slash-div"],
  logger: sass.Logger.silent,
}).css;
writeFileSync(join(out, "enketo.css"), css);

const page = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${form.title.zh}</title><link rel="stylesheet" href="enketo.css"></head>
<body><div class="main">${formHtml}</div>
<script type="text/xml" id="model">${model}</script>
<script src="enketo.js"></script></body></html>
`;
writeFileSync(join(out, "index.html"), page);
execFileSync("node", [join(root, "scripts/precompress.mjs"), out], { stdio: "inherit" });
console.log(`enketo build: ${out} (the form's ${form.sections.reduce((n, s) => n + s.fields.length, 0)} questions)`);

/** The XForm as Enketo's HTML form and XML model, transformed in headless Chromium. */
async function transformInBrowser(xform) {
  const bundled = await build({
    stdin: { contents: 'import { transform } from "enketo-transformer/web"; window.__transform = (xform) => transform({ xform });', resolveDir: here },
    bundle: true,
    format: "iife",
    write: false,
    nodePaths: [modules],
    // Loaded only for a preprocess hook, which this form has none of.
    external: ["libxslt"],
    logLevel: "warning",
  });
  const browser = await chromium.launch({ executablePath, args });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundled.outputFiles[0].text });
    return await page.evaluate(async (xform) => {
      const { form, model } = await window.__transform(xform);
      return { form, model };
    }, xform);
  } finally {
    await browser.close();
  }
}

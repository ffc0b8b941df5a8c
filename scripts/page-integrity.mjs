// The pages of a build name each script with its subresource-integrity hash: a script
// changed after Trunk wrote the pages is written here, and its hash made anew in them.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The `integrity` value of `text`, as Trunk writes it. */
export const integrity = (text) => `sha384-${createHash("sha384").update(text).digest("base64")}`;

/** Writes `text` as the script `name` of the build in `dir`, and names its new hash in
 * every page there that named the old one. */
export function rewriteScript(dir, name, text) {
  const path = join(dir, name);
  const [before, after] = [integrity(readFileSync(path, "utf8")), integrity(text)];
  writeFileSync(path, text);
  for (const page of readdirSync(dir).filter((n) => n.endsWith(".html"))) {
    const html = readFileSync(join(dir, page), "utf8");
    if (html.includes(before)) writeFileSync(join(dir, page), html.replaceAll(before, after));
  }
}

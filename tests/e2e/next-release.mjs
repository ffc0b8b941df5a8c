// A next release of the apps, made from the one built (dist/) for a test of an update: a
// copy whose field app's index.html says it is the next release (`<meta
// name="tongxing-release" content="next">`), with the field app's service worker generated
// again over it (scripts/service-worker.mjs, as the build does: without the oversight app's
// files) and its .br and .gz copies made again (scripts/precompress.mjs). Deployed, it is
// what a phone that kept the first release finds when it is next online.
import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The marker the next release's index.html carries. */
export const NEXT_RELEASE = '<meta name="tongxing-release" content="next">';

/** Makes the next release of `built` in a directory of its own, and returns the directory. */
export function nextRelease(built) {
  const dir = mkdtempSync(join(tmpdir(), "tongxing-next-release-"));
  cpSync(built, dir, { recursive: true });
  const index = join(dir, "index.html");
  const html = readFileSync(index, "utf8");
  if (!html.includes("<title>")) throw new Error("next-release.mjs: index.html has no <title>");
  writeFileSync(index, html.replace("<title>", `${NEXT_RELEASE}<title>`));
  // The field app's service worker precaches its own files only, as when it was built.
  const oversight = join(dir, "oversight");
  const aside = `${dir}-oversight`;
  renameSync(oversight, aside);
  try {
    execFileSync("node", [join(root, "scripts", "service-worker.mjs")], {
      cwd: root,
      env: { ...process.env, TRUNK_STAGING_DIR: dir, TRUNK_PUBLIC_URL: "/", TONGXING_OVERSIGHT_ROOT: "/oversight/" },
      stdio: "ignore",
    });
  } finally {
    renameSync(aside, oversight);
  }
  execFileSync("node", [join(root, "scripts", "precompress.mjs"), dir], { cwd: root, stdio: "ignore" });
  return dir;
}

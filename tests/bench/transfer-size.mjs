// What a file costs on the wire: its bytes raw, gzip-compressed (level 9) and
// brotli-compressed (quality 11), as the build's precompressed copies are made. One place for
// the size report's table and the peer's.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** `{ raw, gz, br }` of the file at `path`, in bytes (`gz` only when `withGzip`). */
export function transferSize(path, withGzip = true) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const gz = withGzip ? gzipSync(raw, { level: 9 }).length : 0;
  return { raw: raw.length, gz, br };
}

/** `{ raw, gz, br }` summed over `rows`. */
export function sumSizes(rows) {
  return rows.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz, br: t.br + r.br }), { raw: 0, gz: 0, br: 0 });
}

/** The file kinds a page's first visit is counted by, by extension. */
export const FILE_KINDS = { ".wasm": "wasm", ".js": "js", ".css": "css", ".html": "html" };

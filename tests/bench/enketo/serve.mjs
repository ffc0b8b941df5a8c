// Serves the peer's built page (build.mjs's folder) on a free loopback port as a static host
// would: each file's brotli or gzip copy by the browser's Accept-Encoding (with Vary), as
// Tongxing's own server sends its app, so both cross the same throttled link compressed alike.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".xml": "application/xml" };

/** Starts serving `dir`; resolves with `{ url, close() }`. */
export function serveStatic(dir) {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^\/+/, "");
    const file = join(dir, path === "" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const accepts = String(request.headers["accept-encoding"] ?? "");
    const encoding = ["br", "gzip"].find((e) => accepts.includes(e) && existsSync(`${file}.${e === "br" ? "br" : "gz"}`));
    const body = readFileSync(encoding ? `${file}.${encoding === "br" ? "br" : "gz"}` : file);
    const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", vary: "accept-encoding", "cache-control": "no-cache" };
    if (encoding) headers["content-encoding"] = encoding;
    response.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

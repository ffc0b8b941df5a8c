// Reads the entries of a zip file (an XLSX workbook, a child's whole file) with Node's own
// zlib, so that the tests can look inside what the app downloaded without another package.
import { inflateRawSync } from "node:zlib";

/** The entries of the zip in `bytes` (a Buffer): [{ name, text() , bytes() }]. */
export function zipEntries(bytes) {
  // The end of central directory record: the last 22 bytes, or before a comment.
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file: no end of central directory");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = bytes.readUInt16LE(at + 10);
    const packed = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = () => {
      const raw = bytes.subarray(start, start + packed);
      if (method === 0) return raw;
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`${name}: compression method ${method}`);
    };
    entries.push({ name, bytes: data, text: () => data().toString("utf8") });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

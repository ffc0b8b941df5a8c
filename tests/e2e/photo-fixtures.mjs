// Photo fixtures: phone-like JPEGs drawn in a real browser page, with the EXIF block a phone
// camera writes (an orientation and a GPS position) spliced in after the start of the image,
// and helpers that read JPEG segments back.
//
// Two kinds of callers share it:
//   Playwright tests and benchmarks (Node): `twelveMegapixelJpeg(page, …)` makes a photo in
//     the page and returns a Node Buffer; `exifOrientation` and `hasExif` read any bytes.
//   Browser unit tests (tests/photo_shrink.rs) import this module into the page and call
//     `makePhoto` and the readers directly.
// So nothing here imports a Node module, and `makePhoto` uses nothing from outside its own
// body (Node sends its source text into the page).

/** A 12-megapixel (4000 × 3000) camera-like JPEG made in `page`, as a Node Buffer.
 * `orientation` is the EXIF orientation to write (6: the camera was turned, show it rotated
 * 90° clockwise); `null` writes no EXIF block at all. The same `seed` gives the same photo. */
export async function twelveMegapixelJpeg(page, { orientation = 1, seed = 1 } = {}) {
  return cameraJpeg(page, { width: 4000, height: 3000, orientation, seed });
}

/** A camera-like JPEG of `width` × `height` made in `page` (as `makePhoto` draws it), as a
 * Node Buffer. */
export async function cameraJpeg(page, { width, height, orientation = 1, seed = 1 }) {
  const base64 = await page.evaluate(
    async ({ source, options }) => {
      const make = new Function(`return (${source})`)();
      const bytes = await make(options);
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    { source: makePhoto.toString(), options: { width, height, orientation, seed } },
  );
  return Buffer.from(base64, "base64");
}

/** Draws a photo-like scene and encodes it, in a browser. Returns a Uint8Array.
 * The scene carries two flat markers in its stored (not displayed) orientation, so that a
 * test can tell how an image was turned: a red square rgb(220, 24, 24) in the top-left corner
 * and a blue one rgb(24, 64, 220) in the top-right, with sides of 12% of the short side (360
 * pixels at 12 MP). The GPS block holds 27°43'12.34" N, 109°11'56.78" E.
 *  width, height  pixels as stored (before any EXIF rotation)
 *  type           "image/jpeg" (EXIF spliced in) or "image/png" (no EXIF)
 *  quality        the encoder's quality, as a phone camera's (about 0.92)
 *  orientation    the EXIF orientation to write, or null for no EXIF block
 *  seed           for the scene's random texture */
export async function makePhoto({ width = 4000, height = 3000, type = "image/jpeg", quality = 0.92, orientation = 1, seed = 1 } = {}) {
  // mulberry32: small, deterministic, exact in 32-bit integer arithmetic.
  let state = seed | 0;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const newCanvas = (w, h) => {
    if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(w, h);
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    return c;
  };
  const canvas = newCanvas(width, height);
  const g = canvas.getContext("2d");
  const u = Math.min(width, height) / 3000; // scene unit: 1 at 12 MP

  // The scene: sky, hills, a village house, trees, a path.
  const horizon = height * 0.46;
  let grad = g.createLinearGradient(0, 0, 0, horizon);
  grad.addColorStop(0, "#6f9fd6");
  grad.addColorStop(1, "#dde8ef");
  g.fillStyle = grad;
  g.fillRect(0, 0, width, horizon);
  grad = g.createLinearGradient(0, horizon, 0, height);
  grad.addColorStop(0, "#6d8a45");
  grad.addColorStop(1, "#8a6a42");
  g.fillStyle = grad;
  g.fillRect(0, horizon, width, height - horizon);
  for (const [shade, lift] of [["#5c7386", 0.16], ["#4e6b4a", 0.08]]) {
    g.fillStyle = shade;
    g.beginPath();
    g.moveTo(0, horizon);
    for (let x = 0; x <= width; x += 40 * u) g.lineTo(x, horizon - height * lift * (0.5 + 0.5 * Math.sin(x / (700 * u) + lift * 40) * random()));
    g.lineTo(width, horizon);
    g.fill();
  }
  g.fillStyle = "#b9a48a";
  g.beginPath();
  g.moveTo(width * 0.45, height);
  g.quadraticCurveTo(width * 0.5, horizon + 300 * u, width * 0.56, horizon + 40 * u);
  g.lineTo(width * 0.58, horizon + 40 * u);
  g.quadraticCurveTo(width * 0.6, horizon + 400 * u, width * 0.7, height);
  g.fill();
  const house = { x: width * 0.18, y: horizon - 120 * u, w: 1100 * u, h: 800 * u };
  g.fillStyle = "#d8d2c4";
  g.fillRect(house.x, house.y, house.w, house.h);
  g.fillStyle = "#6b3b2a";
  g.beginPath();
  g.moveTo(house.x - 80 * u, house.y);
  g.lineTo(house.x + house.w / 2, house.y - 420 * u);
  g.lineTo(house.x + house.w + 80 * u, house.y);
  g.fill();
  g.fillStyle = "#3d3a36";
  g.fillRect(house.x + house.w * 0.42, house.y + house.h * 0.45, house.w * 0.16, house.h * 0.55);
  for (const wx of [0.12, 0.7]) {
    g.fillStyle = "#2f4456";
    g.fillRect(house.x + house.w * wx, house.y + house.h * 0.25, house.w * 0.18, house.h * 0.22);
    g.strokeStyle = "#eee";
    g.lineWidth = 10 * u;
    g.strokeRect(house.x + house.w * wx, house.y + house.h * 0.25, house.w * 0.18, house.h * 0.22);
  }
  for (let i = 0; i < 40; i++) {
    const x = random() * width;
    const y = horizon + random() * (height - horizon) * 0.5;
    const r = (60 + random() * 160) * u * (y / horizon);
    g.fillStyle = `hsl(${90 + random() * 50}, ${30 + random() * 30}%, ${18 + random() * 20}%)`;
    g.beginPath();
    g.arc(x, y - r, r, 0, Math.PI * 2);
    g.fill();
  }
  // Texture at every scale, as in a real scene: random grey fields, each stretched over the
  // whole picture (smoothly) and blended in.
  for (const [scale, alpha] of [[512, 0.3], [128, 0.3], [32, 0.25], [8, 0.2], [3, 0.16]]) {
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    const field = newCanvas(w, h);
    const fg = field.getContext("2d");
    const image = fg.createImageData(w, h);
    for (let i = 0; i < image.data.length; i += 4) {
      const v = 40 + random() * 176;
      image.data[i] = image.data[i + 1] = image.data[i + 2] = v;
      image.data[i + 3] = 255;
    }
    fg.putImageData(image, 0, 0);
    g.save();
    g.globalAlpha = alpha;
    g.globalCompositeOperation = "overlay";
    g.imageSmoothingEnabled = true;
    g.drawImage(field, 0, 0, width, height);
    g.restore();
  }
  // Sensor grain: a little noise on every pixel.
  const pixels = g.getImageData(0, 0, width, height);
  const data = pixels.data;
  for (let i = 0; i < data.length; i += 4) {
    const n = (random() + random() - 1) * 14;
    data[i] += n + (random() - 0.5) * 6;
    data[i + 1] += n;
    data[i + 2] += n + (random() - 0.5) * 6;
  }
  g.putImageData(pixels, 0, 0);
  const side = Math.round(360 * u);
  g.fillStyle = "rgb(220, 24, 24)";
  g.fillRect(0, 0, side, side);
  g.fillStyle = "rgb(24, 64, 220)";
  g.fillRect(width - side, 0, side, side);

  const blob = canvas.convertToBlob
    ? await canvas.convertToBlob({ type, quality })
    : await new Promise((done) => canvas.toBlob(done, type, quality));
  canvas.width = canvas.height = 0;
  const encoded = new Uint8Array(await blob.arrayBuffer());
  if (type !== "image/jpeg" || orientation === null) return encoded;

  // The EXIF block (a TIFF structure, little-endian, as most phones write it): IFD0 with
  // Make, Model, Orientation and a pointer to the GPS IFD, which holds a position and, as
  // phones write it, the method that fixed it ("ASCII\0\0\0GPS").
  const chars = (text) => [...text].map((c) => c.charCodeAt(0));
  const ascii = (text) => chars(text).concat(0);
  const rational = (parts) => parts.flatMap((p) => [Math.round(p * 100), 100]);
  const ifd0 = [
    { tag: 0x010f, type: 2, values: ascii("Tongxing") },
    { tag: 0x0110, type: 2, values: ascii("Fixture 12MP") },
    { tag: 0x0112, type: 3, values: [orientation] },
    { tag: 0x8825, type: 4, values: [0] }, // GPS IFD offset, set below
  ];
  const gps = [
    { tag: 0x0000, type: 1, values: [2, 3, 0, 0] },
    { tag: 0x0001, type: 2, values: ascii("N") },
    { tag: 0x0002, type: 5, values: rational([27, 43, 12.34]) },
    { tag: 0x0003, type: 2, values: ascii("E") },
    { tag: 0x0004, type: 5, values: rational([109, 11, 56.78]) },
    { tag: 0x001b, type: 7, values: chars("ASCII\0\0\0GPS") },
  ];
  const unit = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 7: 1 }; // bytes per value (a rational is two longs)
  const count = (e) => (e.type === 5 ? e.values.length / 2 : e.values.length);
  const dataBytes = (e) => e.values.length * unit[e.type];
  const ifdSize = (entries) => 2 + entries.length * 12 + 4 + entries.reduce((n, e) => n + (dataBytes(e) > 4 ? (dataBytes(e) + 1) & ~1 : 0), 0);
  const gpsAt = 8 + ifdSize(ifd0);
  ifd0[3].values = [gpsAt];
  const tiff = new DataView(new ArrayBuffer(gpsAt + ifdSize(gps)));
  tiff.setUint16(0, 0x4949); // "II"
  tiff.setUint16(2, 42, true);
  tiff.setUint32(4, 8, true);
  const writeIfd = (entries, at) => {
    tiff.setUint16(at, entries.length, true);
    let extra = at + 2 + entries.length * 12 + 4; // next-IFD offset stays 0
    entries.forEach((e, i) => {
      const entry = at + 2 + i * 12;
      tiff.setUint16(entry, e.tag, true);
      tiff.setUint16(entry + 2, e.type, true);
      tiff.setUint32(entry + 4, count(e), true);
      let to = entry + 8;
      if (dataBytes(e) > 4) {
        tiff.setUint32(entry + 8, extra, true);
        to = extra;
        extra += (dataBytes(e) + 1) & ~1;
      }
      e.values.forEach((v, k) => {
        if (unit[e.type] === 1) tiff.setUint8(to + k, v);
        else if (unit[e.type] === 2) tiff.setUint16(to + 2 * k, v, true);
        else tiff.setUint32(to + 4 * k, v, true);
      });
    });
  };
  writeIfd(ifd0, 8);
  writeIfd(gps, gpsAt);
  const payload = 2 + 6 + tiff.byteLength; // length field + "Exif\0\0" + TIFF
  const out = new Uint8Array(encoded.length + 2 + payload);
  out.set(encoded.subarray(0, 2), 0); // SOI
  out.set([0xff, 0xe1, payload >> 8, payload & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0], 2);
  out.set(new Uint8Array(tiff.buffer), 12);
  out.set(encoded.subarray(2), 12 + tiff.byteLength);
  return out;
}

/** The segments of a JPEG up to the start of its image data, as `{ marker, at, length }`
 * (`marker` the byte after 0xFF, `at` its offset, `length` of its payload including the
 * two length bytes; 0 for markers without one). Throws if `bytes` is not a JPEG. */
export function jpegSegments(bytes) {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("not a JPEG: no start-of-image marker");
  const segments = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG: no marker at byte ${at}`);
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
    const length = standalone ? 0 : (bytes[at + 2] << 8) | bytes[at + 3];
    segments.push({ marker, at, length });
    if (marker === 0xda || marker === 0xd9) break; // image data (or the end) follows
    at += 2 + length;
  }
  return segments;
}

/** The APP1 segments of a JPEG that hold EXIF, as payload views (from "Exif\0\0"). */
function exifPayloads(bytes) {
  return jpegSegments(bytes)
    .filter((s) => s.marker === 0xe1)
    .map((s) => bytes.subarray(s.at + 4, s.at + 2 + s.length))
    .filter((p) => p.length >= 6 && String.fromCharCode(...p.subarray(0, 6)) === "Exif\0\0");
}

/** Whether a JPEG carries an EXIF block (an APP1 segment starting "Exif"). */
export function hasExif(bytes) {
  return exifPayloads(bytes).length > 0;
}

/** The EXIF orientation of a JPEG (1 to 8), or null when it has none. */
export function exifOrientation(bytes) {
  for (const payload of exifPayloads(bytes)) {
    const tiff = new DataView(payload.buffer, payload.byteOffset + 6, payload.length - 6);
    if (tiff.byteLength < 8) continue;
    const little = tiff.getUint16(0) === 0x4949;
    const ifd = tiff.getUint32(4, little);
    if (ifd + 2 > tiff.byteLength) continue;
    const entries = tiff.getUint16(ifd, little);
    for (let i = 0; i < entries; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > tiff.byteLength) break;
      if (tiff.getUint16(entry, little) === 0x0112) return tiff.getUint16(entry + 8, little);
    }
  }
  return null;
}

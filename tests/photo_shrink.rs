//! Shrinking photos in a real browser (headless Chromium): camera-like 12 MP JPEGs with an
//! EXIF block (orientation and GPS position) made by tests/e2e/photo-fixtures.mjs, shrunk by
//! the browser's own decoder and encoder, and read back.

use tongxing::photo::{shrink, ShrinkError, ShrunkPhoto};
use tongxing_core::photo::{PhotoHash, MAX_BYTES};
use tongxing_core::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, ImageBitmap, ImageData, OffscreenCanvas, OffscreenCanvasRenderingContext2d};

wasm_bindgen_test_configure!(run_in_browser);

/// tests/e2e/photo-fixtures.mjs, the fixtures the Playwright tests use too.
#[wasm_bindgen]
extern "C" {
    type Fixtures;
    #[wasm_bindgen(method, js_name = makePhoto, catch)]
    async fn make_photo(this: &Fixtures, options: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = hasExif)]
    fn has_exif(this: &Fixtures, bytes: &[u8]) -> bool;
    #[wasm_bindgen(method, js_name = exifOrientation)]
    fn exif_orientation(this: &Fixtures, bytes: &[u8]) -> Option<u32>;
    #[wasm_bindgen(method, js_name = jpegSegments, catch)]
    fn jpeg_segments(this: &Fixtures, bytes: &[u8]) -> Result<js_sys::Array, JsValue>;
}

/// Imports the fixture module into the page from its source text. (Importing the file
/// with `#[wasm_bindgen(module = …)]` fails: the test runner's server gives `.mjs` files a
/// type that browsers refuse for modules.)
async fn fixtures() -> Fixtures {
    let source = JsValue::from_str(include_str!("e2e/photo-fixtures.mjs"));
    let import = js_sys::Function::new_with_args(
        "source",
        "return import('data:text/javascript,' + encodeURIComponent(source))",
    );
    let promise: js_sys::Promise = import.call1(&JsValue::NULL, &source).expect("import starts").unchecked_into();
    JsFuture::from(promise).await.expect("the fixture module loads").unchecked_into()
}

/// A photo from the fixture module (see `makePhoto` there for the options).
async fn photo(fixtures: &Fixtures, options: &str) -> Vec<u8> {
    let options = js_sys::JSON::parse(options).expect("options are JSON");
    let bytes = fixtures.make_photo(options).await.expect("the fixture is made");
    js_sys::Uint8Array::new(&bytes).to_vec()
}

fn blob(bytes: &[u8], kind: &str) -> Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(kind);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).expect("a blob")
}

async fn blob_bytes(blob: &Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer()).await.expect("the blob is read");
    js_sys::Uint8Array::new(&buffer).to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The SHA-256 of `bytes` by the browser's own WebCrypto, as hex.
async fn web_crypto_sha256(bytes: &[u8]) -> String {
    let subtle = web_sys::window().expect("a window").crypto().expect("crypto").subtle();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", bytes).expect("digest starts");
    let digest = JsFuture::from(promise).await.expect("digest ends");
    js_sys::Uint8Array::new(&digest).to_vec().iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes a JPEG as a browser shows it: its size, and a 2D context to read pixels from.
async fn decode(bytes: &[u8]) -> (u32, u32, OffscreenCanvasRenderingContext2d) {
    let window = web_sys::window().expect("a window");
    let promise = window.create_image_bitmap_with_blob(&blob(bytes, "image/jpeg")).expect("decoding starts");
    let bitmap: ImageBitmap = JsFuture::from(promise).await.expect("the output decodes").dyn_into().expect("a bitmap");
    let (width, height) = (bitmap.width(), bitmap.height());
    let canvas = OffscreenCanvas::new(width, height).expect("a canvas");
    let context: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").expect("a context").expect("a 2D context").dyn_into().expect("a 2D context");
    context.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0).expect("drawn");
    bitmap.close();
    (width, height, context)
}

/// The mean colour of the 9 × 9 pixels around (x, y).
fn colour_at(context: &OffscreenCanvasRenderingContext2d, x: u32, y: u32) -> [u32; 3] {
    let data = context.get_image_data(f64::from(x) - 4.0, f64::from(y) - 4.0, 9.0, 9.0).expect("pixels").data();
    let mut sum = [0_u32; 3];
    for pixel in data.chunks(4) {
        for (s, v) in sum.iter_mut().zip(pixel) {
            *s += u32::from(*v);
        }
    }
    sum.map(|s| s / 81)
}

fn is_red([r, g, b]: [u32; 3]) -> bool {
    r > 170 && g < 90 && b < 90
}

fn is_blue([r, g, b]: [u32; 3]) -> bool {
    b > 170 && r < 90 && g < 120
}

/// What a JPEG may not carry once shrunk: no APP1 segment (EXIF or XMP), no EXIF, no GPS.
fn assert_no_metadata(fixtures: &Fixtures, jpeg: &[u8]) {
    let markers: Vec<u32> = fixtures
        .jpeg_segments(jpeg)
        .expect("the output is a JPEG")
        .iter()
        .map(|s| js_sys::Reflect::get(&s, &"marker".into()).ok().and_then(|m| m.as_f64()).unwrap_or(0.0) as u32)
        .collect();
    assert!(markers.contains(&0xda), "the markers were walked to the image data: {markers:x?}");
    assert!(!markers.contains(&0xe1), "no APP1 segment: {markers:x?}");
    assert!(!fixtures.has_exif(jpeg));
    assert_eq!(fixtures.exif_orientation(jpeg), None);
    assert!(!contains(jpeg, b"Exif"), "no EXIF bytes");
    assert!(!contains(jpeg, b"GPS"), "no GPS bytes");
}

/// The checks every shrunk photo passes: its bytes, blob and hash agree.
async fn assert_consistent(photo: &ShrunkPhoto) {
    assert!(photo.bytes.len() as u64 <= MAX_BYTES, "{} bytes", photo.bytes.len());
    assert_eq!(&photo.bytes[..2], &[0xff, 0xd8], "a JPEG");
    assert_eq!(photo.blob.type_(), "image/jpeg");
    assert_eq!(blob_bytes(&photo.blob).await, photo.bytes, "the blob holds exactly the bytes");
    assert_eq!(photo.hash.as_str(), web_crypto_sha256(&photo.bytes).await, "the hash is the SHA-256 of the bytes");
    assert_eq!(photo.hash, PhotoHash::of_bytes(&photo.bytes));
}

#[wasm_bindgen_test]
async fn a_12_megapixel_photo_is_shrunk_to_1600_by_1200_within_the_limit_and_without_its_exif() {
    let fixtures = fixtures().await;
    let original = photo(&fixtures, r#"{"width": 4000, "height": 3000, "orientation": 1, "seed": 1}"#).await;
    assert!(original.len() > 2_000_000, "a camera-like file: {} bytes", original.len());
    assert!(fixtures.has_exif(&original) && contains(&original, b"GPS"), "the fixture carries EXIF with a GPS block");

    let started = now_ms();
    let shrunk = shrink(&blob(&original, "image/jpeg")).await.expect("the photo shrinks");
    let took = now_ms() - started;
    console_log!(
        "12 MP ({} bytes) → {}×{}, {} bytes, in {took:.0} ms",
        original.len(),
        shrunk.width,
        shrunk.height,
        shrunk.bytes.len()
    );

    assert_eq!((shrunk.width, shrunk.height), (1600, 1200));
    assert_consistent(&shrunk).await;
    assert_no_metadata(&fixtures, &shrunk.bytes);
    // Not turned: the fixture's red marker stays at the top left, its blue one at the top
    // right (also the control for the test of a turned photo).
    let (width, height, shown) = decode(&shrunk.bytes).await;
    assert_eq!((width, height), (1600, 1200), "the JPEG is the size reported");
    let (top_left, top_right) = (colour_at(&shown, 40, 40), colour_at(&shown, 1560, 40));
    assert!(is_red(top_left) && is_blue(top_right), "{top_left:?} {top_right:?}");
}

#[wasm_bindgen_test]
async fn a_photo_taken_with_the_phone_turned_is_stored_upright() {
    // Stored 4000 × 3000 with EXIF orientation 6: shown turned 90° clockwise, 3000 × 4000.
    let fixtures = fixtures().await;
    let original = photo(&fixtures, r#"{"width": 4000, "height": 3000, "orientation": 6, "seed": 2}"#).await;
    assert_eq!(fixtures.exif_orientation(&original), Some(6));

    let started = now_ms();
    let shrunk = shrink(&blob(&original, "image/jpeg")).await.expect("the photo shrinks");
    console_log!(
        "12 MP turned → {}×{}, {} bytes, in {:.0} ms",
        shrunk.width,
        shrunk.height,
        shrunk.bytes.len(),
        now_ms() - started
    );

    assert_eq!((shrunk.width, shrunk.height), (1200, 1600));
    assert_consistent(&shrunk).await;
    assert_no_metadata(&fixtures, &shrunk.bytes);
    // Turned clockwise, the stored top-left corner is at the top right and the stored
    // top-right corner at the bottom right; the top left is neither.
    let (width, height, shown) = decode(&shrunk.bytes).await;
    assert_eq!((width, height), (1200, 1600));
    let (top_right, bottom_right, top_left) =
        (colour_at(&shown, 1160, 40), colour_at(&shown, 1160, 1560), colour_at(&shown, 40, 40));
    assert!(is_red(top_right), "red at the top right: {top_right:?}");
    assert!(is_blue(bottom_right), "blue at the bottom right: {bottom_right:?}");
    assert!(!is_red(top_left) && !is_blue(top_left), "neither at the top left: {top_left:?}");
}

/// Makes the page an older browser, as in WeChat's older builds: no `OffscreenCanvas`, and
/// a `createImageBitmap` that refuses the option value "from-image" (Chromium before the
/// value was renamed from "none") but still follows the EXIF orientation by default.
/// Returns a function that undoes it and tells how often "from-image" was refused.
fn pretend_older_browser() -> js_sys::Function {
    js_sys::Function::new_no_args(
        r#"
        const original = { createImageBitmap: window.createImageBitmap, OffscreenCanvas: window.OffscreenCanvas };
        let refused = 0;
        window.createImageBitmap = function (image, ...rest) {
            const options = rest[rest.length - 1];
            if (options && options.imageOrientation === "from-image") {
                refused += 1;
                return Promise.reject(new TypeError("The provided value 'from-image' is not a valid enum value of type ImageOrientation."));
            }
            return original.createImageBitmap.call(window, image, ...rest);
        };
        window.OffscreenCanvas = undefined;
        return () => {
            window.createImageBitmap = original.createImageBitmap;
            window.OffscreenCanvas = original.OffscreenCanvas;
            return refused;
        };
        "#,
    )
    .call0(&JsValue::NULL)
    .expect("the page is changed")
    .unchecked_into()
}

#[wasm_bindgen_test]
async fn an_older_browser_gives_the_same_upright_photo_through_its_fallbacks() {
    let fixtures = fixtures().await;
    let original = photo(&fixtures, r#"{"width": 4000, "height": 3000, "orientation": 6, "seed": 4}"#).await;

    let undo = pretend_older_browser();
    let started = now_ms();
    let shrunk = shrink(&blob(&original, "image/jpeg")).await;
    let took = now_ms() - started;
    let refused = undo.call0(&JsValue::NULL).expect("the page is restored").as_f64();
    // Without OffscreenCanvas the only way to this result is a <canvas> element.
    let shrunk = shrunk.expect("the photo shrinks on a <canvas> element");
    console_log!(
        "older browser: 12 MP turned → {}×{}, {} bytes, in {took:.0} ms",
        shrunk.width,
        shrunk.height,
        shrunk.bytes.len()
    );

    assert_eq!(refused, Some(1.0), "\"from-image\" was refused once, then the default was used");
    assert_eq!((shrunk.width, shrunk.height), (1200, 1600));
    assert_consistent(&shrunk).await;
    assert_no_metadata(&fixtures, &shrunk.bytes);
    let (_, _, shown) = decode(&shrunk.bytes).await;
    assert!(is_red(colour_at(&shown, 1160, 40)) && is_blue(colour_at(&shown, 1160, 1560)), "upright");
}

#[wasm_bindgen_test]
async fn a_small_picture_is_not_enlarged() {
    let fixtures = fixtures().await;
    let png = photo(&fixtures, r#"{"width": 800, "height": 600, "type": "image/png", "seed": 3}"#).await;
    let shrunk = shrink(&blob(&png, "image/png")).await.expect("the picture shrinks");
    assert_eq!((shrunk.width, shrunk.height), (800, 600));
    assert_consistent(&shrunk).await;
    assert_eq!(decode(&shrunk.bytes).await.0, 800);
}

#[wasm_bindgen_test]
async fn a_photo_too_heavy_at_the_first_quality_is_encoded_lower_until_it_fits() {
    // Pure noise, the worst case for JPEG: far over the limit at the plan's first quality.
    let (width, height) = (2400_u32, 1800_u32);
    let mut state = 0x2545_f491_u32;
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for _ in 0..width * height {
        for _ in 0..3 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            pixels.push((state >> 24) as u8);
        }
        pixels.push(255);
    }
    let canvas = OffscreenCanvas::new(width, height).expect("a canvas");
    let context: OffscreenCanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), width, height).expect("image data");
    context.put_image_data(&image, 0.0, 0.0).expect("put");
    let options = web_sys::ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(0.95);
    let noise: Blob =
        JsFuture::from(canvas.convert_to_blob_with_options(&options).unwrap()).await.unwrap().dyn_into().unwrap();

    let started = now_ms();
    let shrunk = shrink(&noise).await.expect("the plan brings it within the limit");
    console_log!(
        "noise {width}×{height} ({} bytes) → {}×{}, {} bytes, in {:.0} ms",
        noise.size(),
        shrunk.width,
        shrunk.height,
        shrunk.bytes.len(),
        now_ms() - started
    );
    assert!(shrunk.width <= 1600 && shrunk.width * 3 == shrunk.height * 4, "{}×{}", shrunk.width, shrunk.height);
    assert_consistent(&shrunk).await;
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_a_photo_is_refused_with_a_sentence() {
    let garbage: Vec<u8> = b"\xff\xd8\xff\xe0 this is not a photo, only some bytes that start like one"
        .iter()
        .copied()
        .cycle()
        .take(50_000)
        .collect();
    for (what, file) in [
        ("garbage", blob(&garbage, "image/jpeg")),
        ("empty", blob(&[], "image/jpeg")),
        ("text", blob(b"hello", "text/plain")),
    ] {
        let error = shrink(&file).await.expect_err(what);
        assert!(matches!(error, ShrinkError::Undecodable(_)), "{what}: {error:?}");
        assert_eq!(error.message(Lang::ZhCn), "无法读取这张照片，请换一张或重新拍摄。本次走访记录不受影响。");
        assert!(error.message(Lang::En).starts_with("This photo cannot be read."), "{what}");
        console_log!("{what}: {error}");
    }
}

#[wasm_bindgen_test]
async fn a_heic_photo_the_browser_cannot_read_is_named_as_one() {
    // The first bytes of a HEIC photo as a Huawei or iPhone camera saves it: an `ftyp` box
    // of brand `heic`, then the start of its `meta` box (Chromium cannot decode HEIC).
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic");
    heic.extend_from_slice(&[0, 0, 0, 0]);
    heic.extend_from_slice(b"mif1heic");
    heic.extend_from_slice(&[0, 0, 1, 0, b'm', b'e', b't', b'a']);
    heic.extend(std::iter::repeat_n(0x5a, 4096));
    for kind in ["image/heic", ""] {
        let error = shrink(&blob(&heic, kind)).await.expect_err("HEIC is not decoded here");
        assert_eq!(error, ShrinkError::Heic, "{kind}");
        assert!(error.message(Lang::ZhCn).starts_with("这张照片是 HEIC 格式"));
        assert!(error.message(Lang::En).starts_with("This photo is in the HEIC format"));
    }
}

#[wasm_bindgen_test]
fn every_refusal_has_a_sentence_without_technical_detail() {
    let errors = [
        ShrinkError::Undecodable("InvalidStateError: The source image could not be decoded.".into()),
        ShrinkError::Heic,
        ShrinkError::TooHeavy { bytes: 400_000 },
        ShrinkError::Browser("EncodingError: out of memory".into()),
    ];
    for error in errors {
        for lang in [Lang::ZhCn, Lang::En] {
            let sentence = error.message(lang);
            assert!(!sentence.contains("Error") && !sentence.contains("400"), "{sentence}");
        }
        assert!(error.message(Lang::ZhCn).ends_with("本次走访记录不受影响。"));
        assert!(error.message(Lang::En).ends_with("The visit record is not affected."));
    }
}

#[wasm_bindgen_test]
async fn a_browser_without_create_image_bitmap_shrinks_through_an_image_element_upright() {
    let fixtures = fixtures().await;
    let original = photo(&fixtures, r#"{"width": 4000, "height": 3000, "orientation": 6, "seed": 5}"#).await;

    // Safari before 15 and older WebViews: neither createImageBitmap nor OffscreenCanvas.
    let undo: js_sys::Function = js_sys::Function::new_no_args(
        r#"
        const original = { createImageBitmap: window.createImageBitmap, OffscreenCanvas: window.OffscreenCanvas };
        window.createImageBitmap = undefined;
        window.OffscreenCanvas = undefined;
        return () => Object.assign(window, original);
        "#,
    )
    .call0(&JsValue::NULL)
    .expect("the page is changed")
    .unchecked_into();
    let shrunk = shrink(&blob(&original, "image/jpeg")).await;
    undo.call0(&JsValue::NULL).expect("the page is restored");
    let shrunk = shrunk.expect("the photo shrinks through an <img> and a <canvas> element");

    assert_eq!((shrunk.width, shrunk.height), (1200, 1600), "upright: the <img> follows the EXIF orientation");
    assert_consistent(&shrunk).await;
    assert_no_metadata(&fixtures, &shrunk.bytes);
    let (_, _, shown) = decode(&shrunk.bytes).await;
    let (top_right, bottom_right) = (colour_at(&shown, 1160, 40), colour_at(&shown, 1160, 1560));
    assert!(is_red(top_right) && is_blue(bottom_right), "{top_right:?} {bottom_right:?}");
}

//! The hashes of the inline scripts of the app's `index.html` (Trunk writes one that loads
//! the WebAssembly), for the `script-src` of its Content-Security-Policy: the page may run
//! those scripts and no other inline one.

use base64::Engine;
use sha2::{Digest, Sha256};

/// `'sha256-…'` of the text of each `<script>` without a `src` in `html`, in order.
pub fn script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<script").map(|at| from + at) {
        let Some(tag_end) = lower[open..].find('>').map(|at| open + at) else { break };
        let Some(close) = lower[tag_end..].find("</script").map(|at| tag_end + at) else { break };
        let tag = &lower[open..tag_end];
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            let text = &html[tag_end + 1..close];
            let digest = Sha256::digest(text.as_bytes());
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        from = close;
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed_as_the_browser_hashes_them() {
        let html = "<html><script type=module>alert(1)</script><SCRIPT defer src=register-sw.js></SCRIPT>\
                    <script>\nlet a = \"</p>\";\n</script></html>";
        let hashes = script_hashes(html);
        assert_eq!(hashes.len(), 2, "{hashes:?}");
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(hashes[0], "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        assert!(script_hashes("<p>no scripts</p>").is_empty());
        assert!(script_hashes("<script>cut short").is_empty());
    }
}

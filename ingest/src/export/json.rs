//! `--format jsonl` and `--format json`: records exactly in their wire form, for machines.

use std::io::Write;

use serde::Serialize;

use super::ExportError;

/// One record per line.
pub fn write_jsonl<R: Serialize>(
    records: impl IntoIterator<Item = R>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut written = 0;
    for record in records {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

/// One JSON array of the records, a record per line.
pub fn write_json<R: Serialize>(
    records: impl IntoIterator<Item = R>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut written = 0;
    out.write_all(b"[")?;
    for record in records {
        out.write_all(if written == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &record)?;
        written += 1;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_one_array() {
        let mut out = Vec::new();
        assert_eq!(write_json([1, 2], &mut out).unwrap(), 2);
        assert_eq!(serde_json::from_slice::<Vec<i32>>(&out).unwrap(), [1, 2]);
        let mut empty = Vec::new();
        write_json::<i32>([], &mut empty).unwrap();
        assert_eq!(serde_json::from_slice::<Vec<i32>>(&empty).unwrap(), Vec::<i32>::new());
        let mut lines = Vec::new();
        write_jsonl([1, 2], &mut lines).unwrap();
        assert_eq!(lines, b"1\n2\n");
    }
}

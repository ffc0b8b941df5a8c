//! `--format jsonl` and `--format json`: records exactly in their wire form, for machines.

use std::io::Write;

use serde::Serialize;

use super::ExportError;

/// One record per line.
pub fn write_jsonl<'a, R: Serialize + 'a>(
    records: impl IntoIterator<Item = &'a R>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// One JSON array of the records, a record per line.
pub fn write_json<'a, R: Serialize + 'a>(
    records: impl IntoIterator<Item = &'a R>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    out.write_all(b"[")?;
    for (index, record) in records.into_iter().enumerate() {
        out.write_all(if index == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, record)?;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_one_array() {
        let mut out = Vec::new();
        write_json(&[1, 2], &mut out).unwrap();
        assert_eq!(serde_json::from_slice::<Vec<i32>>(&out).unwrap(), [1, 2]);
        let mut empty = Vec::new();
        write_json::<i32>(&[], &mut empty).unwrap();
        assert_eq!(serde_json::from_slice::<Vec<i32>>(&empty).unwrap(), Vec::<i32>::new());
        let mut lines = Vec::new();
        write_jsonl(&[1, 2], &mut lines).unwrap();
        assert_eq!(lines, b"1\n2\n");
    }
}

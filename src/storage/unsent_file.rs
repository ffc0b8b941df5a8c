//! The escape hatch on the phone: every record of hers the server has not confirmed, with
//! the photos they name that are still on the phone (the server holds the others), written
//! into one file sealed to the county's key (core's `unsent_file`), a frame at a time into
//! a `Blob`. Nothing on the phone changes: if it is ever online again, the outbox sends as
//! before, and the server keeps each record once.

use chrono::{DateTime, FixedOffset, Utc};
use getrandom::SysRng;
use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::outbox::OutboxStore;
use tongxing_core::unsent_file::UnwrapErr;
use tongxing_core::unsent_file::{
    file_name, photos_named, records_to_write, CountyKey, UnsentFileWriter, UnsentItem, WriteProblem,
};
use tongxing_core::Lang;
use web_sys::{Blob, BlobPropertyBag};

use super::{Database, OutboxDb, StorageError};
use crate::js_error::describe;

/// A file made, ready to save.
pub struct UnsentFile {
    pub blob: Blob,
    pub name: String,
    pub records: usize,
    pub photos: usize,
}

/// Why no file was made.
#[derive(Debug, thiserror::Error)]
pub enum UnsentFileError {
    /// The phone has not reached its server since the key was published.
    #[error("no county key yet")]
    NoCountyKey,
    #[error("nothing unsent")]
    NothingUnsent,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the file could not be sealed: {0}")]
    Write(#[from] WriteProblem),
    #[error("the browser could not make the file: {0}")]
    Browser(String),
}

impl UnsentFileError {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            UnsentFileError::NoCountyKey => lang
                .pick(
                    "这部手机还没有从服务器取得县里的密钥，不能保存文件：请先联网同步一次。",
                    "This phone has not yet had the county's key from the server, so it cannot save the file: connect and sync once first.",
                )
                .to_owned(),
            UnsentFileError::NothingUnsent => lang
                .pick("没有未上传的记录：全部都在服务器上。", "Nothing is unsent: every record is on the server.")
                .to_owned(),
            UnsentFileError::Storage(error) => error.message(lang),
            UnsentFileError::Write(_) | UnsentFileError::Browser(_) => lang
                .pick("文件没有保存成功，请再试一次。", "The file could not be saved: try again.")
                .to_owned(),
        }
    }
}

impl Database {
    /// The unsent-records file of `enrolled`, the worker whose space this is, made at `now`
    /// (the phone's time).
    pub async fn unsent_file(
        &self,
        enrolled: &DeviceEnrolment,
        now: DateTime<FixedOffset>,
    ) -> Result<UnsentFile, UnsentFileError> {
        let key: &CountyKey = enrolled.county_policy().map(|county| &county.key).ok_or(UnsentFileError::NoCountyKey)?;
        let outbox = OutboxDb(self.clone());
        let mut records = Vec::new();
        for record in records_to_write(&outbox.entries().await?, &enrolled.owner()) {
            records.extend(outbox.record(record).await?);
        }
        if records.is_empty() {
            return Err(UnsentFileError::NothingUnsent);
        }
        let on_phone = self.photos_on_phone().await?;
        let photos: Vec<_> =
            photos_named(&records).into_iter().filter(|hash| on_phone.contains(hash.as_str())).collect();
        let counts = (records.len() as u32, photos.len() as u32);
        let (mut writer, head) = UnsentFileWriter::start(
            key,
            enrolled.worker.id,
            &enrolled.token,
            now.with_timezone(&Utc),
            counts,
            &mut UnwrapErr(SysRng),
        )?;
        let parts = js_sys::Array::new();
        let push = |frame: Vec<u8>| parts.push(&js_sys::Uint8Array::from(frame.as_slice()));
        push(head);
        // Photos first: the server stores a visit only once it holds its photos.
        for hash in &photos {
            let bytes = self.photo_bytes(hash).await?.ok_or_else(|| {
                StorageError::Corrupt(format!("photo {} went while the file was written", hash.short()))
            })?;
            push(writer.add(&UnsentItem::Photo { hash: hash.clone(), bytes })?);
        }
        let record_count = records.len();
        for record in records {
            push(writer.add(&UnsentItem::Record(record))?);
        }
        let options = BlobPropertyBag::new();
        options.set_type("application/octet-stream");
        let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|error| UnsentFileError::Browser(describe(&error)))?;
        Ok(UnsentFile { blob, name: file_name(now.naive_local()), records: record_count, photos: photos.len() })
    }
}

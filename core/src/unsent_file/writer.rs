//! Writing an unsent-records file, one frame at a time, so that a phone never holds more
//! than one photo's bytes twice.

use chrono::{DateTime, Utc};
use hpke::aead::AeadCtxS;
use hpke::rand_core::CryptoRng;
use hpke::{OpModeS, Serializable};
use uuid::Uuid;

use super::{Aead, CountyKey, DeviceProof, Kdf, Kem, UnsentItem, UnsentManifest, INFO, MAGIC};

/// Why a file could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteProblem {
    #[error("the county's key could not be used: {0}")]
    Key(String),
    #[error("more records or photos than the file announced")]
    TooMany,
}

/// The sealing side of one file: [`UnsentFileWriter::start`] gives its first bytes, then
/// [`UnsentFileWriter::add`] each item's frame, in the order they are to be stored (photos
/// before the visits that name them).
pub struct UnsentFileWriter {
    context: AeadCtxS<Aead, Kdf, Kem>,
    records_left: u32,
    photos_left: u32,
}

impl UnsentFileWriter {
    /// A file of `records` records and `photos` photos from `device`, whose token is
    /// `token`, sealed to the county's `key`: the writer, and the file's first bytes (its
    /// header and manifest).
    pub fn start(
        key: &CountyKey,
        device: Uuid,
        token: &str,
        made_at: DateTime<Utc>,
        (records, photos): (u32, u32),
        rng: &mut impl CryptoRng,
    ) -> Result<(UnsentFileWriter, Vec<u8>), WriteProblem> {
        let (enc, context) = hpke::setup_sender_with_rng::<Aead, Kdf, Kem>(&OpModeS::Base, key.public_key(), INFO, rng)
            .map_err(|error| WriteProblem::Key(error.to_string()))?;
        let enc = enc.to_bytes();
        let manifest = UnsentManifest { device, made_at, records, photos, proof: DeviceProof::new(token, &enc) };
        let mut writer = UnsentFileWriter { context, records_left: records, photos_left: photos };
        let mut head = MAGIC.to_vec();
        head.extend_from_slice(&enc);
        // A struct of plain fields: serialising cannot fail.
        let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
        head.extend(writer.seal(&manifest)?);
        Ok((writer, head))
    }

    /// The frame of `item`.
    pub fn add(&mut self, item: &UnsentItem) -> Result<Vec<u8>, WriteProblem> {
        let left = match item {
            UnsentItem::Record(_) => &mut self.records_left,
            UnsentItem::Photo { .. } => &mut self.photos_left,
        };
        *left = left.checked_sub(1).ok_or(WriteProblem::TooMany)?;
        self.seal(&item.to_bytes())
    }

    /// Whether every announced item has been added (the file is whole).
    pub fn is_complete(&self) -> bool {
        self.records_left == 0 && self.photos_left == 0
    }

    fn seal(&mut self, plain: &[u8]) -> Result<Vec<u8>, WriteProblem> {
        let sealed = self.context.seal(plain, MAGIC).map_err(|error| WriteProblem::Key(error.to_string()))?;
        let length = u32::try_from(sealed.len()).map_err(|_| WriteProblem::TooMany)?;
        let mut frame = Vec::with_capacity(4 + sealed.len());
        frame.extend_from_slice(&length.to_be_bytes());
        frame.extend(sealed);
        Ok(frame)
    }
}

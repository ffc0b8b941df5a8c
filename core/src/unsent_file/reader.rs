//! Reading an unsent-records file with the county's private key, frame by frame.

use std::io::{self, Read};

use hpke::aead::AeadCtxR;
use hpke::{Deserializable, OpModeR};

use super::unsent_item::ItemProblem;
use super::{Aead, CountySecret, Kdf, Kem, UnsentItem, UnsentManifest, ENC_BYTES, INFO, MAGIC, MAX_FRAME_BYTES};

/// Why a file is refused: nothing of a refused frame, nor of any frame after it, is given.
#[derive(Debug, thiserror::Error)]
pub enum UnsentFileProblem {
    #[error("this is not a Tongxing unsent-records file (or one of a version this server does not read)")]
    NotAnUnsentFile,
    #[error("the file is cut short: it ends before its last record")]
    CutShort,
    #[error("the file does not open with this key file (it was made for another county's key), or it was changed")]
    DoesNotOpen,
    #[error("the file's list of what it holds is not readable: {0}")]
    Manifest(String),
    #[error("a frame of {0} bytes is larger than any record or photo")]
    FrameTooLarge(u32),
    #[error("the file holds more after its last record")]
    TrailingBytes,
    #[error("the file announced {records} records and {photos} photos but holds other kinds")]
    WrongCounts { records: u32, photos: u32 },
    #[error("an item is not readable: {0}")]
    Item(#[from] ItemProblem),
    #[error("cannot read the file: {0}")]
    Read(io::Error),
}

/// The opening side of one file.
pub struct UnsentFileReader<R> {
    frames: Frames<R>,
    manifest: UnsentManifest,
    enc: [u8; ENC_BYTES],
    records_left: u32,
    photos_left: u32,
}

/// The sealed frames of a file and the context that opens them in order.
struct Frames<R> {
    input: R,
    context: AeadCtxR<Aead, Kdf, Kem>,
}

impl<R: Read> UnsentFileReader<R> {
    /// Reads the header and the manifest of the file `input`, with the county's `secret`.
    pub fn open(secret: &CountySecret, mut input: R) -> Result<UnsentFileReader<R>, UnsentFileProblem> {
        let mut magic = [0u8; MAGIC.len()];
        read_whole(&mut input, &mut magic).map_err(|_| UnsentFileProblem::NotAnUnsentFile)?;
        if &magic != MAGIC {
            return Err(UnsentFileProblem::NotAnUnsentFile);
        }
        let mut enc = [0u8; ENC_BYTES];
        read_whole(&mut input, &mut enc)?;
        let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(&enc).map_err(|_| UnsentFileProblem::DoesNotOpen)?;
        let context = hpke::setup_receiver::<Aead, Kdf, Kem>(&OpModeR::Base, secret.private_key(), &encapped, INFO)
            .map_err(|_| UnsentFileProblem::DoesNotOpen)?;
        let mut frames = Frames { input, context };
        let plain = frames.next()?.ok_or(UnsentFileProblem::CutShort)?;
        let manifest: UnsentManifest =
            serde_json::from_slice(&plain).map_err(|error| UnsentFileProblem::Manifest(error.to_string()))?;
        let mut reader =
            UnsentFileReader { frames, enc, records_left: manifest.records, photos_left: manifest.photos, manifest };
        reader.end_if_read()?;
        Ok(reader)
    }

    /// Whose file it is and what it announces.
    pub fn manifest(&self) -> &UnsentManifest {
        &self.manifest
    }

    /// The file's encapsulated key (what the device's proof covers).
    pub fn enc(&self) -> &[u8] {
        &self.enc
    }

    /// The next item, or `None` once every announced item has been read (and nothing
    /// follows the last).
    pub fn next_item(&mut self) -> Result<Option<UnsentItem>, UnsentFileProblem> {
        if self.records_left + self.photos_left == 0 {
            return Ok(None);
        }
        let item = UnsentItem::from_bytes(self.frames.next()?.ok_or(UnsentFileProblem::CutShort)?)?;
        let count = match item {
            UnsentItem::Record(_) => &mut self.records_left,
            UnsentItem::Photo { .. } => &mut self.photos_left,
        };
        *count = count
            .checked_sub(1)
            .ok_or(UnsentFileProblem::WrongCounts { records: self.manifest.records, photos: self.manifest.photos })?;
        self.end_if_read()?;
        Ok(Some(item))
    }

    /// After the last announced item, the file must end.
    fn end_if_read(&mut self) -> Result<(), UnsentFileProblem> {
        if self.records_left + self.photos_left > 0 {
            return Ok(());
        }
        let mut one = [0u8; 1];
        match self.frames.input.read(&mut one).map_err(UnsentFileProblem::Read)? {
            0 => Ok(()),
            _ => Err(UnsentFileProblem::TrailingBytes),
        }
    }
}

impl<R: Read> Frames<R> {
    /// The next frame's plain text; `None` at the end of the file.
    fn next(&mut self) -> Result<Option<Vec<u8>>, UnsentFileProblem> {
        let mut length = [0u8; 4];
        if self.input.read(&mut length[..1]).map_err(UnsentFileProblem::Read)? == 0 {
            return Ok(None);
        }
        read_whole(&mut self.input, &mut length[1..])?;
        let length = u32::from_be_bytes(length);
        if length > MAX_FRAME_BYTES {
            return Err(UnsentFileProblem::FrameTooLarge(length));
        }
        let mut sealed = Vec::new();
        let read =
            (&mut self.input).take(u64::from(length)).read_to_end(&mut sealed).map_err(UnsentFileProblem::Read)?;
        if read != length as usize {
            return Err(UnsentFileProblem::CutShort);
        }
        self.context.open(&sealed, MAGIC).map(Some).map_err(|_| UnsentFileProblem::DoesNotOpen)
    }
}

/// Fills `buffer`, or says the file is cut short.
fn read_whole(input: &mut impl Read, buffer: &mut [u8]) -> Result<(), UnsentFileProblem> {
    input.read_exact(buffer).map_err(|error| match error.kind() {
        io::ErrorKind::UnexpectedEof => UnsentFileProblem::CutShort,
        _ => UnsentFileProblem::Read(error),
    })
}

//! Photos in an S3-compatible bucket (`--photo-store s3://bucket/prefix`), for a province:
//! MinIO, Ceph, and the Chinese clouds' OSS/COS/OBS speak the same protocol. The endpoint,
//! region and credentials come from the environment as the AWS conventions have them
//! (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`; `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint); the requests are
//! signed and retried by `object_store`.
//!
//! Under the prefix:
//! - `photos/<first two hex digits>/<sha256>`: a photo, written whole, before its row in the
//!   `photos` table (a `PUT` is durable once answered);
//! - `partial/<sha256>/<first>-<end>`: one piece of an upload in pieces, the bytes
//!   `first..end` of the photo, written before `photo_uploads` counts them. Pieces are objects
//!   of their own since a multipart upload's parts must be 5 MiB but the last, and a phone's
//!   pieces are smaller; any server of the province may take the next piece;
//! - `removing/<sha256>`: a photo set aside by the cleanup until its row's removal commits.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ClientConfigKey, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use super::PhotoHash;

/// How long one request to the bucket may take, and how long its retries may go on: short
/// enough that a phone's request is answered `503` (and retried by the phone) rather than
/// held for minutes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
const RETRY_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_RETRIES: usize = 4;

/// Why `--photo-store` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BucketUrlError {
    #[error("the photo store must be an s3://bucket/prefix address, not {0}")]
    NotS3(String),
    #[error("the photo store's address names no bucket: s3://bucket/prefix")]
    NoBucket,
    #[error("cannot use the bucket {bucket}: {source}")]
    Client { bucket: String, source: object_store::Error },
}

/// A bucket and a prefix in it that hold a county's or a province's photos.
#[derive(Debug, Clone)]
pub struct PhotoBucket {
    objects: Arc<dyn ObjectStore>,
}

/// A piece of an upload, as its object's name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    first: u64,
    end: u64,
}

impl PhotoBucket {
    /// The bucket of `url` (`s3://bucket` or `s3://bucket/prefix`), with the endpoint,
    /// region and credentials of the environment. Nothing is asked of the bucket yet.
    pub fn from_url(url: &url::Url) -> Result<PhotoBucket, BucketUrlError> {
        if url.scheme() != "s3" {
            return Err(BucketUrlError::NotS3(url.scheme().to_owned()));
        }
        let bucket = url.host_str().filter(|host| !host.is_empty()).ok_or(BucketUrlError::NoBucket)?;
        let prefix = url.path().trim_matches('/');
        let retry = RetryConfig { max_retries: MAX_RETRIES, retry_timeout: RETRY_TIMEOUT, ..RetryConfig::default() };
        let client = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_retry(retry)
            // A setting of its own: `with_client_options` would drop the environment's
            // (AWS_ALLOW_HTTP among them).
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::Timeout),
                humantime::format_duration(REQUEST_TIMEOUT).to_string(),
            )
            .build()
            .map_err(|source| BucketUrlError::Client { bucket: bucket.to_owned(), source })?;
        let objects: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(client)
        } else {
            Arc::new(PrefixStore::new(client, ObjectPath::from(prefix)))
        };
        Ok(PhotoBucket { objects })
    }

    /// A bucket kept in memory, for tests of what does not depend on the protocol.
    #[cfg(test)]
    pub fn in_memory() -> PhotoBucket {
        PhotoBucket { objects: Arc::new(object_store::memory::InMemory::new()) }
    }

    /// A bucket over `objects`, for tests that stage what another server does meanwhile.
    #[cfg(test)]
    pub fn over(objects: Arc<dyn ObjectStore>) -> PhotoBucket {
        PhotoBucket { objects }
    }

    fn photo_path(hash: &PhotoHash) -> ObjectPath {
        ObjectPath::from(format!("photos/{}/{}", &hash.as_str()[..2], hash.as_str()))
    }

    fn pieces_path(hash: &PhotoHash) -> ObjectPath {
        ObjectPath::from(format!("partial/{}", hash.as_str()))
    }

    fn piece_path(hash: &PhotoHash, piece: Piece) -> ObjectPath {
        Self::pieces_path(hash).clone().join(format!("{:012}-{:012}", piece.first, piece.end))
    }

    fn aside_path(hash: &PhotoHash) -> ObjectPath {
        ObjectPath::from(format!("removing/{}", hash.as_str()))
    }

    /// Writes the photo `hash`; durable once this returns.
    pub async fn put_photo(&self, hash: &PhotoHash, bytes: Bytes) -> Result<(), object_store::Error> {
        self.objects.put(&Self::photo_path(hash), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    /// Whether the bucket holds the photo `hash`.
    pub async fn holds(&self, hash: &PhotoHash) -> Result<bool, object_store::Error> {
        Ok(self.size_of(hash).await?.is_some())
    }

    /// The size of the photo `hash` in the bucket, if it holds it.
    pub async fn size_of(&self, hash: &PhotoHash) -> Result<Option<u64>, object_store::Error> {
        match self.objects.head(&Self::photo_path(hash)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The bytes of the photo `hash`, if the bucket holds it.
    pub async fn photo(&self, hash: &PhotoHash) -> Result<Option<Bytes>, object_store::Error> {
        match self.objects.get(&Self::photo_path(hash)).await {
            Ok(got) => Ok(Some(got.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The photos the bucket holds, by their hashes (for checking a move up, and for tests).
    pub async fn photo_hashes(&self) -> Result<Vec<PhotoHash>, object_store::Error> {
        Ok(self
            .names_under(&ObjectPath::from("photos"))
            .await?
            .iter()
            .filter_map(|n| PhotoHash::parse(n).ok())
            .collect())
    }

    /// Whether the bucket holds any piece of an upload of `hash`.
    pub async fn has_pieces(&self, hash: &PhotoHash) -> Result<bool, object_store::Error> {
        Ok(!self.pieces(hash).await?.is_empty())
    }

    /// Writes the bytes `first..first + bytes.len()` of an upload in pieces of `hash`;
    /// durable once this returns.
    pub async fn put_piece(&self, hash: &PhotoHash, first: u64, bytes: Bytes) -> Result<(), object_store::Error> {
        let piece = Piece { first, end: first + bytes.len() as u64 };
        self.objects.put(&Self::piece_path(hash, piece), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    /// The bytes `0..received` of the upload in pieces of `hash`, read piece by piece and
    /// given to `each` in order; `false` when its pieces do not cover them (a piece lost).
    /// Pieces left by a request that never counted them (a server killed between the write
    /// and the count) may overlap the counted ones; a chain of pieces from byte 0 to
    /// `received` is followed, and the photo's hash tells later whether it is the photo.
    pub async fn read_pieces(
        &self,
        hash: &PhotoHash,
        received: u64,
        mut each: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<bool, PiecesError> {
        let Some(chain) = chain_of(&self.pieces(hash).await?, received) else {
            return Ok(false);
        };
        for piece in chain {
            let bytes = self.objects.get(&Self::piece_path(hash, piece)).await?.bytes().await?;
            if bytes.len() as u64 != piece.end - piece.first {
                return Ok(false);
            }
            each(&bytes)?;
        }
        Ok(true)
    }

    /// Removes every piece of the upload of `hash`.
    pub async fn drop_pieces(&self, hash: &PhotoHash) -> Result<(), object_store::Error> {
        for piece in self.pieces(hash).await? {
            match self.objects.delete(&Self::piece_path(hash, piece)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    async fn pieces(&self, hash: &PhotoHash) -> Result<Vec<Piece>, object_store::Error> {
        Ok(self.names_under(&Self::pieces_path(hash)).await?.iter().filter_map(|n| parse_piece(n)).collect())
    }

    /// Sets the photo `hash` aside, to be deleted once its row's removal commits. `false`
    /// when the bucket did not hold it.
    pub async fn set_aside(&self, hash: &PhotoHash) -> Result<bool, object_store::Error> {
        match self.objects.rename(&Self::photo_path(hash), &Self::aside_path(hash)).await {
            Ok(()) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Puts the photo `hash` set aside back in its place.
    pub async fn put_back(&self, hash: &PhotoHash) -> Result<(), object_store::Error> {
        self.objects.rename(&Self::aside_path(hash), &Self::photo_path(hash)).await
    }

    /// Deletes the photo `hash` set aside; one gone already is fine.
    pub async fn delete_aside(&self, hash: &PhotoHash) -> Result<(), object_store::Error> {
        match self.objects.delete(&Self::aside_path(hash)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// The photos set aside by a cleanup that stopped before its end.
    pub async fn set_aside_photos(&self) -> Result<Vec<PhotoHash>, object_store::Error> {
        Ok(self
            .names_under(&ObjectPath::from("removing"))
            .await?
            .iter()
            .filter_map(|n| PhotoHash::parse(n).ok())
            .collect())
    }

    /// The last part of the name of each object under `prefix`.
    async fn names_under(&self, prefix: &ObjectPath) -> Result<Vec<String>, object_store::Error> {
        let listed: Vec<_> = self.objects.list(Some(prefix)).try_collect().await?;
        Ok(listed.iter().filter_map(|meta| meta.location.filename().map(str::to_owned)).collect())
    }

    /// Whether the bucket takes a write now (the readiness check): an object of one byte
    /// under `ready/`, deleted at once.
    pub async fn check_writable(&self) -> Result<(), object_store::Error> {
        let probe = ObjectPath::from(format!("ready/{}", uuid::Uuid::new_v4()));
        self.objects.put(&probe, PutPayload::from_static(b".")).await?;
        self.objects.delete(&probe).await
    }
}

/// Why the pieces of an upload could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PiecesError {
    #[error(transparent)]
    Bucket(#[from] object_store::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn parse_piece(name: &str) -> Option<Piece> {
    let (first, end) = name.split_once('-')?;
    let piece = Piece { first: first.parse().ok()?, end: end.parse().ok()? };
    (piece.end > piece.first).then_some(piece)
}

/// Pieces that follow one another from byte 0 to `received`, if there are such; the longest
/// piece first at each step, so that the chain is as short as it can be.
fn chain_of(pieces: &[Piece], received: u64) -> Option<Vec<Piece>> {
    let mut by_first: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for piece in pieces.iter().filter(|piece| piece.end <= received) {
        by_first.entry(piece.first).or_default().push(piece.end);
    }
    for ends in by_first.values_mut() {
        ends.sort_unstable_by(|a, b| b.cmp(a));
    }
    // A depth-first search over the pieces' ends: few pieces, so no memory of dead ends.
    let mut chain = Vec::new();
    let mut choices: Vec<usize> = Vec::new();
    let mut at = 0;
    let mut next_choice = 0;
    loop {
        if at == received {
            return Some(chain);
        }
        match by_first.get(&at).and_then(|ends| ends.get(next_choice)) {
            Some(&end) => {
                chain.push(Piece { first: at, end });
                choices.push(next_choice);
                at = end;
                next_choice = 0;
            }
            None => {
                let (piece, choice) = (chain.pop()?, choices.pop()?);
                at = piece.first;
                next_choice = choice + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(first: u64, end: u64) -> Piece {
        Piece { first, end }
    }

    #[test]
    fn pieces_are_followed_from_the_first_byte_to_the_last_counted() {
        assert_eq!(chain_of(&[piece(100, 250), piece(0, 100)], 250), Some(vec![piece(0, 100), piece(100, 250)]));
        assert_eq!(chain_of(&[], 0), Some(vec![]));
        assert_eq!(chain_of(&[piece(0, 100)], 250), None, "a piece lost");
        assert_eq!(chain_of(&[piece(0, 100), piece(150, 250)], 250), None, "a gap");
    }

    /// A server killed after writing a piece and before counting it leaves a piece the
    /// phone then sends again, shorter or longer.
    #[test]
    fn an_uncounted_piece_beside_the_counted_ones_is_stepped_around() {
        let pieces = [piece(0, 100), piece(100, 180), piece(100, 150), piece(150, 300)];
        assert_eq!(chain_of(&pieces, 300), Some(vec![piece(0, 100), piece(100, 150), piece(150, 300)]));
        let pieces = [piece(0, 100), piece(100, 400), piece(100, 300)];
        assert_eq!(chain_of(&pieces, 300), Some(vec![piece(0, 100), piece(100, 300)]), "beyond what is counted");
    }

    #[test]
    fn a_piece_name_is_its_first_byte_and_its_end() {
        assert_eq!(parse_piece("000000000100-000000000250"), Some(piece(100, 250)));
        assert_eq!(parse_piece("000000000100-000000000100"), None, "empty");
        assert_eq!(parse_piece("ready"), None);
    }

    #[tokio::test]
    async fn an_upload_in_pieces_is_read_back_in_order() {
        let bucket = PhotoBucket::in_memory();
        let hash = PhotoHash::of_bytes(b"photo");
        bucket.put_piece(&hash, 3, Bytes::from_static(b"to")).await.unwrap();
        bucket.put_piece(&hash, 0, Bytes::from_static(b"pho")).await.unwrap();
        let mut read = Vec::new();
        let reading = bucket.read_pieces(&hash, 5, |bytes| {
            read.extend_from_slice(bytes);
            Ok(())
        });
        assert!(reading.await.unwrap());
        assert_eq!(read, b"photo");
        bucket.drop_pieces(&hash).await.unwrap();
        assert!(!bucket.read_pieces(&hash, 5, |_| Ok(())).await.unwrap(), "gone");
    }

    #[tokio::test]
    async fn a_photo_set_aside_is_put_back_or_deleted() {
        let bucket = PhotoBucket::in_memory();
        let hash = PhotoHash::of_bytes(b"photo");
        bucket.put_photo(&hash, Bytes::from_static(b"photo")).await.unwrap();
        assert!(bucket.set_aside(&hash).await.unwrap());
        assert!(!bucket.holds(&hash).await.unwrap());
        assert_eq!(bucket.set_aside_photos().await.unwrap(), vec![hash.clone()]);
        bucket.put_back(&hash).await.unwrap();
        assert_eq!(bucket.photo(&hash).await.unwrap().as_deref(), Some(&b"photo"[..]));
        assert!(bucket.set_aside(&hash).await.unwrap());
        bucket.delete_aside(&hash).await.unwrap();
        assert!(bucket.set_aside_photos().await.unwrap().is_empty());
        assert!(!bucket.set_aside(&hash).await.unwrap(), "nothing to set aside");
    }
}

/// A bucket in memory where another server's cleanup takes each photo away the moment after
/// it is written, so many times: the race [`super::PhotoStore`]'s keeping must survive.
#[cfg(test)]
pub mod racing_cleanup {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::stream::BoxStream;
    use object_store::memory::InMemory;
    use object_store::path::Path;
    use object_store::{
        CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore, ObjectStoreExt,
        PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
    };

    #[derive(Debug, Default)]
    pub struct RacingCleanup {
        inner: InMemory,
        /// Photos still to be taken away after their write.
        pub to_take: AtomicUsize,
        /// Photos written.
        pub written: AtomicUsize,
    }

    impl std::fmt::Display for RacingCleanup {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "RacingCleanup")
        }
    }

    #[async_trait::async_trait]
    impl ObjectStore for RacingCleanup {
        async fn put_opts(&self, location: &Path, payload: PutPayload, opts: PutOptions) -> Result<PutResult> {
            let put = self.inner.put_opts(location, payload, opts).await?;
            if location.as_ref().starts_with("photos/") {
                self.written.fetch_add(1, Ordering::SeqCst);
                let taken = self.to_take.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                if taken.is_ok() {
                    self.inner.delete(location).await?;
                }
            }
            Ok(put)
        }

        async fn put_multipart_opts(
            &self,
            location: &Path,
            opts: PutMultipartOptions,
        ) -> Result<Box<dyn MultipartUpload>> {
            self.inner.put_multipart_opts(location, opts).await
        }

        async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
            self.inner.get_opts(location, options).await
        }

        fn delete_stream(&self, locations: BoxStream<'static, Result<Path>>) -> BoxStream<'static, Result<Path>> {
            self.inner.delete_stream(locations)
        }

        fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
            self.inner.list(prefix)
        }

        async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
            self.inner.list_with_delimiter(prefix).await
        }

        async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
            self.inner.copy_opts(from, to, options).await
        }
    }
}

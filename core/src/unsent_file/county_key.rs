//! The county's key pair for unsent-records files: the public half published by the server
//! and kept by each phone, the private half only in the server's key file.

use std::fmt;

use hpke::{Deserializable, Kem as _, Serializable};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Kem;

/// The county's public key, 64 hex digits on the wire and in the phone's enrolment.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountyKey(<Kem as hpke::Kem>::PublicKey);

impl CountyKey {
    pub(super) fn public_key(&self) -> &<Kem as hpke::Kem>::PublicKey {
        &self.0
    }
}

impl TryFrom<String> for CountyKey {
    type Error = String;

    fn try_from(text: String) -> Result<CountyKey, String> {
        let refused = || "a county key is 64 hex digits".to_owned();
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.as_bytes(), &mut bytes).map_err(|_| refused())?;
        <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes).map(CountyKey).map_err(|_| refused())
    }
}

impl From<CountyKey> for String {
    fn from(key: CountyKey) -> String {
        hex::encode(key.0.to_bytes())
    }
}

impl fmt::Debug for CountyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountyKey({})", String::from(self.clone()))
    }
}

/// The county's private key: opens unsent-records files. Never printed; wiped when dropped
/// (the `hpke` crate's keys wipe themselves).
#[derive(Clone)]
pub struct CountySecret(<Kem as hpke::Kem>::PrivateKey);

impl CountySecret {
    /// The key pair derived from 32 secret bytes (RFC 9180's DeriveKeyPair), such as those of
    /// the server's key file.
    pub fn from_seed(seed: &[u8; 32]) -> CountySecret {
        let seed = Zeroizing::new(*seed);
        CountySecret(Kem::derive_keypair(&*seed).0)
    }

    /// Its public half, for phones.
    pub fn public(&self) -> CountyKey {
        CountyKey(Kem::sk_to_pk(&self.0))
    }

    pub(super) fn private_key(&self) -> &<Kem as hpke::Kem>::PrivateKey {
        &self.0
    }
}

impl fmt::Debug for CountySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CountySecret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_key_goes_through_text_and_a_seed_gives_one_key_pair() {
        let secret = CountySecret::from_seed(&[7; 32]);
        let public = secret.public();
        let text = String::from(public.clone());
        assert_eq!(text.len(), 64);
        assert_eq!(CountyKey::try_from(text.clone()).unwrap(), public);
        assert_eq!(CountySecret::from_seed(&[7; 32]).public(), public, "the same seed, the same key");
        assert_ne!(CountySecret::from_seed(&[8; 32]).public(), public);
        assert!(CountyKey::try_from("abc".to_owned()).is_err());
        assert!(CountyKey::try_from("zz".repeat(32)).is_err());
        assert_eq!(format!("{secret:?}"), "CountySecret(…)");
        let json = serde_json::to_string(&public).unwrap();
        assert_eq!(json, format!("\"{text}\""));
    }
}

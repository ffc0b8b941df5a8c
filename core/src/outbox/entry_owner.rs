//! Whose an outbox entry is. A phone may be shared, or joined again for another worker or
//! place: what one worker saved is sent only with a token of the same worker, at the same
//! place, from the same server, so that it is never filed under another worker's place.

use serde::{Deserialize, Serialize};

use crate::enrolment::ServerOrigin;
use crate::worker::Place;
use crate::Lang;

/// The worker who saved an entry, as the phone knew her then.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntryOwner {
    pub server: ServerOrigin,
    pub township: String,
    pub village: String,
    pub name: String,
}

impl EntryOwner {
    /// The worker `name` of `place`, joined to `server`: who saves entries on this phone
    /// once she has joined (the same worker joining again is the same owner).
    pub fn new(server: ServerOrigin, place: &Place, name: &str) -> EntryOwner {
        EntryOwner {
            server,
            township: place.township.clone(),
            village: place.village.clone(),
            name: name.trim().to_owned(),
        }
    }

    /// "李芳（桃源村）", for the sentence that says whose records wait.
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("{}（{}）", self.name, self.village),
            Lang::En => format!("{} ({})", self.name, self.village),
        }
    }
}

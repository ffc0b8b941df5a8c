//! Whose an outbox entry is. A phone may be shared, or joined again for another worker or
//! place: what one worker saved is sent only with a token of the same worker, at the same
//! place, from the same server, so that it is never filed under another worker's place.

use serde::{Deserialize, Serialize};

use crate::enrolment::ServerOrigin;
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
    /// "李芳（桃源村）", for the sentence that says whose records wait.
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => format!("{}（{}）", self.name, self.village),
            Lang::En => format!("{} ({})", self.name, self.village),
        }
    }
}

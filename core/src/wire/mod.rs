//! The wire contract (v1) between the app and the server, as in DESIGN.md: the bodies that
//! both sides read and write, by call.

mod audit_log;
mod changes;
mod county;
mod county_statistics;
mod county_today;
mod download_link;
mod enrolment;
mod error_body;
mod error_code;
mod health;
mod merge;
mod page;
mod phones;
mod photos;
mod reconcile;
mod records;
mod recovery;
mod township;
mod township_today;
mod unsent_files;
mod village_workers;

pub use audit_log::{AuditLine, AuditQuery, AUDIT_PER_PAGE};
pub use changes::{ChangesPage, ChangesQuery, Registrant, CHANGES_PER_PAGE_DEFAULT, CHANGES_PER_PAGE_MAX};
pub use county::{keep_sent_visit_details, CountyPolicy, DEFAULT_KEEP_SENT_VISIT_DAYS, KEEP_SENT_VISIT_DAYS};
pub use county_statistics::{
    Certified, CountyStatistics, Coverage, MonthTally, Tally, TownshipTally, STATISTICS_MONTHS,
};
pub use county_today::{CountyToday, TownshipLine};
pub use download_link::{DownloadLink, DownloadTarget, DOWNLOAD_LINK_MINUTES};
pub use enrolment::{EnrollReply, EnrollRequest, InviteInfo, InviteReply, InviteRequest, INVITE_CODE_MAX};
pub use error_body::ErrorBody;
pub use error_code::ErrorCode;
pub use health::Health;
pub use merge::{ChildMerge, MergeChildren, MergedChildren};
pub use page::Page;
pub use phones::{InviteListing, InviteState, PhoneListing, RevokedAs, TokenReply};
pub use photos::{PhotoReply, PhotoStatus};
pub use reconcile::{Reconcile, ReconcileChoice, ToReconcile};
pub use records::{PutReply, PutStatus, VISIT_BODY_LIMIT};
pub use recovery::{HexKey, RecoveredKey, RecoveryClaim, RecoveryIssued, RecoveryKeyDeposit};
pub use township::{
    ChildFile, ChildListing, DuplicateFile, ListFilter, PossibleDuplicate, VisitListing, PER_PAGE_DEFAULT, PER_PAGE_MAX,
};

pub use township_today::{
    SilentPhone, TodayAction, TodayChild, TodayPlan, TodayReport, TownshipToday, VillageCoverage, REPORTS_WITHIN_DAYS,
    SILENT_AFTER_DAYS,
};
pub use unsent_files::{UnsentFileReply, UNSENT_FILES_PATH, UNSENT_FILE_MAX_BYTES};
pub use village_workers::{VillageQuery, VillageWorker};

/// The path prefix of every API call.
pub const API_PREFIX: &str = "/api/v1";

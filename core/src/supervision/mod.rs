//! The township supervisor's screen (儿童督导员): the filter she sets, the calls it makes to
//! the server (her township's children and visits, a child's whole file, exports, invites),
//! the pages it gathers and how it reads the answers. The bodies are in [`crate::wire`].

mod county_statistics;
mod county_today;
mod invite_draft;
mod paged_list;
mod reconcile_lines;
mod township_problem;
mod township_query;
mod township_request;
mod township_today;

pub use county_statistics::{
    county_statistics, first_month, StatisticsChild, StatisticsSources, StatisticsVisit, StatisticsWorker,
};
pub use county_today::county_today;
pub use invite_draft::{InviteDraft, INVITE_DAYS_MAX, INVITE_USES_MAX};
pub use paged_list::{Listed, PagedList};
pub use reconcile_lines::{differences, FieldDifference};
pub use township_problem::{read_done, read_reply, TownshipProblem};
pub use township_query::TownshipQuery;
pub use township_request::TownshipRequest;
pub use township_today::{township_today, TodaySources, VillageChild, VillagePlan};

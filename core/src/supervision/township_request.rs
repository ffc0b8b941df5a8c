//! The supervisor's calls to the server, as paths below its base URL, with their query
//! strings, and the names her downloads are saved under.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::export::{archive_file_name, export_file_name, statistics_file_name, ExportQuery};
use crate::wire::{AuditQuery, ListFilter, RevokedAs, API_PREFIX};
use crate::{Lang, RecordKind};

/// One call of the supervisor's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TownshipRequest {
    /// `GET /children` or `/visits`: a page of the township's records.
    List { kind: RecordKind, filter: ListFilter },
    /// `GET /children/{id}`: one child's whole file, to read.
    ChildFile(Uuid),
    /// `GET /exports/{kind}`: the records of the filter as a file.
    Export { kind: RecordKind, query: ExportQuery },
    /// `GET /children/{id}/archive`: one child's whole file as a zip.
    Archive(Uuid),
    /// `POST /invites`.
    Invite,
    /// `GET /invites`: the township's invites (without their codes).
    Invites,
    /// `DELETE /invites/{id}`: one invite stops enrolling phones.
    RevokeInvite(Uuid),
    /// `GET /devices`: the township's phones.
    Phones,
    /// `DELETE /devices/{id}?as=…`: one phone's token is refused from now on; as lost or
    /// stolen, the phone wipes what it keeps when it learns.
    RevokePhone(Uuid, RevokedAs),
    /// `POST /devices/{id}/recovery`: a recovery code for a worker who forgot her PIN.
    IssueRecovery(Uuid),
    /// `GET /today`: her township at a glance.
    Today,
    /// `GET /duplicates`: pairs of her township's files that may be of one child.
    PossibleDuplicates,
    /// `POST /duplicates/merge`: two files of one child merged into one.
    MergeDuplicates,
    /// `POST /download-links`: a one-time link to a download, for a browser that saves none.
    MakeDownloadLink,
    /// `GET /conflicts`: her township's children's files with an edit kept aside.
    ToReconcile,
    /// `POST /conflicts/{id}`: which version of a file with an edit kept aside she keeps.
    Reconcile(i64),
    /// `GET /village/workers?village=`: the love mothers and volunteers of a village of her
    /// township, whom she may pair with a child.
    VillageWorkers(String),
    /// `PUT /pairings/{id}`: a pairing set or ended from a child's file.
    Pair(Uuid),
    /// `PUT /case-plans/{id}`: a case plan changed, approved or closed from a child's file.
    CasePlan(Uuid),
    /// `POST /devices/{id}/trainings`: the county records a worker's training (培训考核).
    RecordTraining(Uuid),
    /// `GET /county/today`: every township of the county, a line each.
    CountyToday,
    /// `GET /county/statistics`: the county's statistics.
    CountyStatistics,
    /// `GET /county/statistics.xlsx`: the statistics as a workbook, to download.
    CountyWorkbook,
    /// `GET /county/audit?…`: a page of the audit log.
    AuditLog(AuditQuery),
}

impl TownshipRequest {
    /// The path and query below the server's base URL; the query is written by the same
    /// serde types the server reads it with.
    ///
    /// ```
    /// use tongxing_core::record_filter::RecordFilter;
    /// use tongxing_core::supervision::TownshipRequest;
    /// use tongxing_core::wire::ListFilter;
    /// use tongxing_core::RecordKind;
    /// let records = RecordFilter { village: Some("桃源村".into()), ..RecordFilter::default() };
    /// let list = TownshipRequest::List { kind: RecordKind::Visit, filter: ListFilter { page: Some(2), ..ListFilter::of(records) } };
    /// assert_eq!(list.path(), "/api/v1/visits?village=%E6%A1%83%E6%BA%90%E6%9D%91&page=2");
    /// ```
    pub fn path(&self) -> String {
        match self {
            TownshipRequest::List { kind, filter } => {
                let filter = ListFilter { records: filter.records.tidy(), ..filter.clone() };
                with_query(format!("{API_PREFIX}/{}", kind.collection()), &filter)
            }
            TownshipRequest::ChildFile(id) => format!("{API_PREFIX}/children/{id}"),
            TownshipRequest::Export { kind, query } => {
                let query = ExportQuery { records: query.records.tidy(), ..query.clone() };
                with_query(format!("{API_PREFIX}/exports/{}", kind.collection()), &query)
            }
            TownshipRequest::Archive(id) => format!("{API_PREFIX}/children/{id}/archive"),
            TownshipRequest::Invite | TownshipRequest::Invites => format!("{API_PREFIX}/invites"),
            TownshipRequest::RevokeInvite(id) => format!("{API_PREFIX}/invites/{id}"),
            TownshipRequest::Phones => format!("{API_PREFIX}/devices"),
            TownshipRequest::RevokePhone(id, reason) => format!("{API_PREFIX}/devices/{id}?as={}", reason.code()),
            TownshipRequest::IssueRecovery(id) => format!("{API_PREFIX}/devices/{id}/recovery"),
            TownshipRequest::Today => format!("{API_PREFIX}/today"),
            TownshipRequest::PossibleDuplicates => format!("{API_PREFIX}/duplicates"),
            TownshipRequest::MergeDuplicates => format!("{API_PREFIX}/duplicates/merge"),
            TownshipRequest::MakeDownloadLink => format!("{API_PREFIX}/download-links"),
            TownshipRequest::ToReconcile => format!("{API_PREFIX}/conflicts"),
            TownshipRequest::Reconcile(id) => format!("{API_PREFIX}/conflicts/{id}"),
            TownshipRequest::VillageWorkers(village) => crate::village_workers::path_of(village),
            TownshipRequest::Pair(id) => format!("{API_PREFIX}/{}/{id}", RecordKind::Pairing.collection()),
            TownshipRequest::CasePlan(id) => format!("{API_PREFIX}/{}/{id}", RecordKind::CasePlan.collection()),
            TownshipRequest::RecordTraining(id) => format!("{API_PREFIX}/devices/{id}/trainings"),
            TownshipRequest::CountyToday => format!("{API_PREFIX}/county/today"),
            TownshipRequest::CountyStatistics => format!("{API_PREFIX}/county/statistics"),
            TownshipRequest::CountyWorkbook => format!("{API_PREFIX}/county/statistics.xlsx"),
            TownshipRequest::AuditLog(query) => {
                let query = query.query_string();
                if query.is_empty() {
                    format!("{API_PREFIX}/county/audit")
                } else {
                    format!("{API_PREFIX}/county/audit?{query}")
                }
            }
        }
    }
}

/// `path?<query>`, or the path alone when the query sets nothing.
fn with_query(path: String, query: &impl Serialize) -> String {
    // A struct of strings, numbers, dates and unit enums always serialises; were it not to,
    // the call goes out unfiltered rather than not at all, and the server's answer says so.
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

impl TownshipRequest {
    /// The name a download of this call is saved under, for `township` (empty when not
    /// known). Only exports and archives are downloads; other calls get a generic name.
    pub fn file_name(&self, township: &str, today: NaiveDate, lang: Lang) -> String {
        match self {
            TownshipRequest::Export { kind, query } => export_file_name(township, *kind, query, today, lang),
            TownshipRequest::Archive(id) => archive_file_name(township, *id, today, lang),
            TownshipRequest::CountyWorkbook => statistics_file_name(today, lang),
            _ => "tongxing.json".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportFormat;
    use crate::record_filter::RecordFilter;
    use crate::RiskColour;

    #[test]
    fn the_countys_calls() {
        assert_eq!(TownshipRequest::CountyToday.path(), "/api/v1/county/today");
        assert_eq!(TownshipRequest::CountyStatistics.path(), "/api/v1/county/statistics");
        assert_eq!(TownshipRequest::CountyWorkbook.path(), "/api/v1/county/statistics.xlsx");
        assert_eq!(TownshipRequest::AuditLog(AuditQuery::default()).path(), "/api/v1/county/audit");
        let query = AuditQuery { action: Some("enroll".into()), page: Some(3), ..AuditQuery::default() };
        assert_eq!(TownshipRequest::AuditLog(query).path(), "/api/v1/county/audit?action=enroll&page=3");
        let name = TownshipRequest::CountyWorkbook.file_name("", day(2026, 12, 10), Lang::ZhCn);
        assert_eq!(name, "全县统计_导出2026-12-10.xlsx");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn full_records() -> RecordFilter {
        RecordFilter {
            village: Some("桃源村".into()),
            colour: Some(RiskColour::Red),
            from: Some(day(2026, 11, 1)),
            to: Some(day(2026, 11, 30)),
        }
    }

    fn full_filter() -> ListFilter {
        ListFilter { page: Some(3), per_page: Some(50), ..ListFilter::of(full_records()) }
    }

    #[test]
    fn lists_carry_the_whole_filter_and_the_page() {
        let children = TownshipRequest::List { kind: RecordKind::Child, filter: full_filter() };
        assert_eq!(
            children.path(),
            "/api/v1/children?village=%E6%A1%83%E6%BA%90%E6%9D%91&colour=red&from=2026-11-01&to=2026-11-30&page=3&per_page=50"
        );
        let all = TownshipRequest::List { kind: RecordKind::Visit, filter: ListFilter::default() };
        assert_eq!(all.path(), "/api/v1/visits");
        let blank = ListFilter::of(RecordFilter { village: Some("  ".into()), ..RecordFilter::default() });
        assert_eq!(TownshipRequest::List { kind: RecordKind::Visit, filter: blank }.path(), "/api/v1/visits");
    }

    #[test]
    fn a_query_reads_back_as_the_server_reads_it() {
        let records = RecordFilter { village: Some("东 村&colour=green+1".into()), ..full_records() };
        let filter = ListFilter { records, ..full_filter() };
        let path = TownshipRequest::List { kind: RecordKind::Child, filter: filter.clone() }.path();
        let (_, query) = path.split_once('?').unwrap();
        let read: ListFilter = serde_urlencoded::from_str(query).unwrap();
        assert_eq!(read, filter);
        let read: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(read.iter().filter(|(k, _)| k == "colour").count(), 1);
    }

    #[test]
    fn exports_carry_the_format_and_the_filter_but_no_page() {
        let query = ExportQuery::new(ExportFormat::Xlsx, full_records());
        let export = TownshipRequest::Export { kind: RecordKind::Visit, query: query.clone() };
        assert_eq!(
            export.path(),
            "/api/v1/exports/visits?format=xlsx&village=%E6%A1%83%E6%BA%90%E6%9D%91&colour=red&from=2026-11-01&to=2026-11-30"
        );
        let (_, sent) = export.path().split_once('?').map(|(p, q)| (p.to_owned(), q.to_owned())).unwrap();
        assert_eq!(serde_urlencoded::from_str::<ExportQuery>(&sent).unwrap(), query);
        let children = TownshipRequest::Export {
            kind: RecordKind::Child,
            query: ExportQuery::new(ExportFormat::Csv, RecordFilter::default()),
        };
        assert_eq!(children.path(), "/api/v1/exports/children?format=csv");
    }

    #[test]
    fn a_parameter_nobody_reads_is_kept_aside_to_be_refused() {
        let read: ExportQuery = serde_urlencoded::from_str("format=csv&page=2&colour=red").unwrap();
        assert_eq!(read.format, ExportFormat::Csv);
        assert_eq!(read.unknown.keys().map(String::as_str).collect::<Vec<_>>(), ["page"]);
        let read: ListFilter = serde_urlencoded::from_str("village=a&sort=name&page=2").unwrap();
        assert_eq!((read.page, read.unknown.keys().map(String::as_str).collect::<Vec<_>>()), (Some(2), vec!["sort"]));
        assert!(serde_urlencoded::from_str::<ListFilter>("colour=pink").is_err());
    }

    #[test]
    fn one_childs_file_and_the_invites() {
        let id = Uuid::parse_str("0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a").unwrap();
        assert_eq!(TownshipRequest::ChildFile(id).path(), "/api/v1/children/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a");
        assert_eq!(
            TownshipRequest::Archive(id).path(),
            "/api/v1/children/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a/archive"
        );
        assert_eq!(TownshipRequest::Invite.path(), "/api/v1/invites");
        assert_eq!(TownshipRequest::Invites.path(), "/api/v1/invites");
        assert_eq!(TownshipRequest::RevokeInvite(id).path(), "/api/v1/invites/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a");
        assert_eq!(TownshipRequest::Phones.path(), "/api/v1/devices");
        assert_eq!(
            TownshipRequest::RevokePhone(id, RevokedAs::Lost).path(),
            "/api/v1/devices/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a?as=lost"
        );
        assert_eq!(
            TownshipRequest::IssueRecovery(id).path(),
            "/api/v1/devices/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a/recovery"
        );
        assert_eq!(TownshipRequest::ToReconcile.path(), "/api/v1/conflicts");
        assert_eq!(
            TownshipRequest::VillageWorkers("桃源村".into()).path(),
            "/api/v1/village/workers?village=%E6%A1%83%E6%BA%90%E6%9D%91"
        );
        assert_eq!(
            TownshipRequest::Pair(Uuid::from_u128(9)).path(),
            format!("/api/v1/pairings/{}", Uuid::from_u128(9))
        );
        assert_eq!(TownshipRequest::PossibleDuplicates.path(), "/api/v1/duplicates");
        assert_eq!(TownshipRequest::MergeDuplicates.path(), "/api/v1/duplicates/merge");
        assert_eq!(TownshipRequest::Today.path(), "/api/v1/today");
        assert_eq!(TownshipRequest::MakeDownloadLink.path(), "/api/v1/download-links");
        assert_eq!(TownshipRequest::Reconcile(12).path(), "/api/v1/conflicts/12");
    }

    #[test]
    fn downloads_are_named_by_the_export_vocabulary() {
        let today = day(2026, 11, 23);
        let export = TownshipRequest::Export {
            kind: RecordKind::Visit,
            query: ExportQuery::new(ExportFormat::Xlsx, full_records()),
        };
        assert_eq!(
            export.file_name("石门镇", today, Lang::ZhCn),
            "石门镇_走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx"
        );
        let id = Uuid::parse_str("0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a").unwrap();
        assert_eq!(
            TownshipRequest::Archive(id).file_name("石门镇", today, Lang::ZhCn),
            "石门镇_儿童档案_0b7d2f3c_导出2026-11-23.zip"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::record_filter::RecordFilter;

    proptest! {
        /// Whatever is typed as the village, the server reads back exactly that village
        /// (trimmed), and nothing else leaks into the query.
        #[test]
        fn any_village_reads_back_as_typed(village in any::<String>(), page in 1u32..1000) {
            let records = RecordFilter { village: Some(village.clone()), ..RecordFilter::default() };
            let filter = ListFilter { page: Some(page), ..ListFilter::of(records) };
            let path = TownshipRequest::List { kind: RecordKind::Child, filter }.path();
            let query = path.split_once('?').map(|(_, q)| q).unwrap_or_default();
            prop_assert!(!query.contains(['#', ' ']));
            let read: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            let trimmed = village.trim();
            let mut expected = Vec::new();
            if !trimmed.is_empty() {
                expected.push(("village".to_owned(), trimmed.to_owned()));
            }
            expected.push(("page".to_owned(), page.to_string()));
            prop_assert_eq!(read, expected);
        }

        /// Any code makes a link that the invited phone reads back as the same code and server.
        #[test]
        fn any_invite_link_reads_back(
            code in "[!-~]{1,64}",
            server in prop::option::of("https?://[a-z][a-z0-9-]{0,9}[a-z0-9](\\.[a-z][a-z0-9]{0,9}){0,3}(:[1-9][0-9]{0,3})?"),
        ) {
            use crate::enrolment::{InviteLink, ServerOrigin};
            let server = server.map(|text| ServerOrigin::parse(&text)).transpose();
            prop_assert!(server.is_ok(), "{:?}", server);
            let link = InviteLink { code: code.clone(), server: server.unwrap_or_default() };
            let shared = link.share_url("https://tx.example.cn/app/");
            prop_assert!(shared.starts_with("https://tx.example.cn/app/join?code="));
            prop_assert_eq!(InviteLink::parse(&shared), Ok(link));
        }
    }
}

//! The supervisor's calls to the server, as paths below its base URL, with their query
//! strings, and the names her downloads are saved under.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::wire::{ListFilter, API_PREFIX};
use crate::Lang;

/// The records a list or an export is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Children,
    Visits,
}

impl RecordKind {
    /// As in the paths: `children`, `visits`.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Children => "children",
            RecordKind::Visits => "visits",
        }
    }

    /// The records' name for people, as the exported sheets are named.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Children => lang.pick("儿童信息", "children"),
            RecordKind::Visits => lang.pick("走访记录", "visits"),
        }
    }
}

/// The file formats the server exports to a supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// A readable Excel workbook (Chinese column names).
    Xlsx,
    /// Readable CSV for Excel.
    Csv,
    /// The records as the app sends them.
    Json,
}

impl ExportFormat {
    /// As in `?format=` and as the file's extension.
    pub fn code(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// One call of the supervisor's screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TownshipRequest {
    /// `GET /children` or `/visits`: a page of the township's records.
    List { kind: RecordKind, filter: ListFilter },
    /// `GET /children/{id}`: one child's whole file, to read.
    ChildFile(Uuid),
    /// `GET /exports/{kind}`: the records of the filter (its page ignored) as a file.
    Export { kind: RecordKind, format: ExportFormat, filter: ListFilter },
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
    /// `DELETE /devices/{id}`: one phone's token is refused from now on.
    RevokePhone(Uuid),
}

impl TownshipRequest {
    /// The path and query below the server's base URL.
    ///
    /// ```
    /// use tongxing_core::supervision::{RecordKind, TownshipRequest};
    /// use tongxing_core::wire::ListFilter;
    /// let filter = ListFilter { village: Some("桃源村".into()), page: Some(2), ..ListFilter::default() };
    /// let list = TownshipRequest::List { kind: RecordKind::Visits, filter };
    /// assert_eq!(list.path(), "/api/v1/visits?village=%E6%A1%83%E6%BA%90%E6%9D%91&page=2");
    /// ```
    pub fn path(&self) -> String {
        match self {
            TownshipRequest::List { kind, filter } => {
                with_query(format!("{API_PREFIX}/{}", kind.code()), &[], filter, true)
            }
            TownshipRequest::ChildFile(id) => format!("{API_PREFIX}/children/{id}"),
            TownshipRequest::Export { kind, format, filter } => {
                with_query(format!("{API_PREFIX}/exports/{}", kind.code()), &[("format", format.code())], filter, false)
            }
            TownshipRequest::Archive(id) => format!("{API_PREFIX}/children/{id}/archive"),
            TownshipRequest::Invite | TownshipRequest::Invites => format!("{API_PREFIX}/invites"),
            TownshipRequest::RevokeInvite(id) => format!("{API_PREFIX}/invites/{id}"),
            TownshipRequest::Phones => format!("{API_PREFIX}/devices"),
            TownshipRequest::RevokePhone(id) => format!("{API_PREFIX}/devices/{id}"),
        }
    }
}

/// `path?<first>&<filter>`, leaving out what the filter does not set (and the page unless
/// `paged`).
fn with_query(path: String, first: &[(&str, &str)], filter: &ListFilter, paged: bool) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(first);
    if let Some(village) = filter.village.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        query.append_pair("village", village);
    }
    if let Some(colour) = filter.colour {
        query.append_pair("colour", colour.code());
    }
    for (key, day) in [("from", filter.from), ("to", filter.to)] {
        if let Some(day) = day {
            query.append_pair(key, &day.to_string());
        }
    }
    if paged {
        for (key, number) in [("page", filter.page), ("per_page", filter.per_page)] {
            if let Some(number) = number {
                query.append_pair(key, &number.to_string());
            }
        }
    }
    let query = query.finish();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The name an export is saved under, on the phone and in the server's
/// `Content-Disposition`: the township (when known), what, for which village, colour and
/// dates, and the day it was made, e.g.
/// `石门镇_走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx`. Never a child's
/// name: a file name shows in download lists, notifications and shared folders.
pub fn export_file_name(
    township: &str,
    kind: RecordKind,
    format: ExportFormat,
    filter: &ListFilter,
    today: NaiveDate,
    lang: Lang,
) -> String {
    let mut parts = township_part(township);
    parts.push(kind.label(lang).to_owned());
    if let Some(village) = filter.village.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        parts.push(village.to_owned());
    }
    if let Some(colour) = filter.colour {
        parts.push(colour.label(lang).to_owned());
    }
    match (filter.from, filter.to) {
        (None, None) => {}
        (from, to) => {
            let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            parts.push(format!("{}{}{}", day(from), lang.pick("至", "-to-"), day(to)));
        }
    }
    parts.push(format!("{}{today}", lang.pick("导出", "exported-")));
    format!("{}.{}", safe_file_name(&parts.join("_")), format.code())
}

/// The name a child's whole file is saved under: the township, what, the first 8 digits of
/// the child's id and the day, e.g. `石门镇_儿童档案_0b7d2f3c_导出2026-11-23.zip`; never
/// the child's name.
pub fn archive_file_name(township: &str, child: Uuid, today: NaiveDate, lang: Lang) -> String {
    let id = child.simple().to_string();
    let mut parts = township_part(township);
    parts.push(lang.pick("儿童档案", "child-file").to_owned());
    parts.push(id.get(..8).unwrap_or_default().to_owned());
    parts.push(format!("{}{today}", lang.pick("导出", "exported-")));
    format!("{}.zip", safe_file_name(&parts.join("_")))
}

/// The township's part of a file name, none when it is not known.
fn township_part(township: &str) -> Vec<String> {
    let township = township.trim();
    if township.is_empty() {
        Vec::new()
    } else {
        vec![township.to_owned()]
    }
}

/// `text` with what file systems refuse (`/ \ : * ? " < > |`, control characters) as `_`.
fn safe_file_name(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect()
}

impl TownshipRequest {
    /// The name a download of this call is saved under, for `township` (empty when not
    /// known). Only exports and archives are downloads; other calls get a generic name.
    pub fn file_name(&self, township: &str, today: NaiveDate, lang: Lang) -> String {
        match self {
            TownshipRequest::Export { kind, format, filter } => {
                export_file_name(township, *kind, *format, filter, today, lang)
            }
            TownshipRequest::Archive(id) => archive_file_name(township, *id, today, lang),
            _ => "tongxing.json".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RiskColour;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn full_filter() -> ListFilter {
        ListFilter {
            village: Some("桃源村".into()),
            colour: Some(RiskColour::Red),
            from: Some(day(2026, 11, 1)),
            to: Some(day(2026, 11, 30)),
            page: Some(3),
            per_page: Some(50),
        }
    }

    #[test]
    fn lists_carry_the_whole_filter_and_the_page() {
        let children = TownshipRequest::List { kind: RecordKind::Children, filter: full_filter() };
        assert_eq!(
            children.path(),
            "/api/v1/children?village=%E6%A1%83%E6%BA%90%E6%9D%91&colour=red&from=2026-11-01&to=2026-11-30&page=3&per_page=50"
        );
        let all = TownshipRequest::List { kind: RecordKind::Visits, filter: ListFilter::default() };
        assert_eq!(all.path(), "/api/v1/visits");
        let blank = ListFilter { village: Some("  ".into()), ..ListFilter::default() };
        assert_eq!(TownshipRequest::List { kind: RecordKind::Visits, filter: blank }.path(), "/api/v1/visits");
    }

    #[test]
    fn a_query_reads_back_as_the_server_reads_it() {
        let filter = ListFilter { village: Some("东 村&colour=green+1".into()), ..full_filter() };
        let path = TownshipRequest::List { kind: RecordKind::Children, filter: filter.clone() }.path();
        let (_, query) = path.split_once('?').unwrap();
        let read: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let value = |key: &str| read.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(value("village"), Some("东 村&colour=green+1"));
        assert_eq!(value("colour"), Some("red"));
        assert_eq!(read.iter().filter(|(k, _)| k == "colour").count(), 1);
        assert_eq!(value("per_page"), Some("50"));
    }

    #[test]
    fn exports_carry_the_format_and_the_filter_but_no_page() {
        let export = TownshipRequest::Export { kind: RecordKind::Visits, format: ExportFormat::Xlsx, filter: full_filter() };
        assert_eq!(
            export.path(),
            "/api/v1/exports/visits?format=xlsx&village=%E6%A1%83%E6%BA%90%E6%9D%91&colour=red&from=2026-11-01&to=2026-11-30"
        );
        let children =
            TownshipRequest::Export { kind: RecordKind::Children, format: ExportFormat::Csv, filter: ListFilter::default() };
        assert_eq!(children.path(), "/api/v1/exports/children?format=csv");
    }

    #[test]
    fn one_childs_file_and_the_invites() {
        let id = Uuid::parse_str("0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a").unwrap();
        assert_eq!(TownshipRequest::ChildFile(id).path(), "/api/v1/children/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a");
        assert_eq!(TownshipRequest::Archive(id).path(), "/api/v1/children/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a/archive");
        assert_eq!(TownshipRequest::Invite.path(), "/api/v1/invites");
        assert_eq!(TownshipRequest::Invites.path(), "/api/v1/invites");
        assert_eq!(TownshipRequest::RevokeInvite(id).path(), "/api/v1/invites/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a");
        assert_eq!(TownshipRequest::Phones.path(), "/api/v1/devices");
        assert_eq!(TownshipRequest::RevokePhone(id).path(), "/api/v1/devices/0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a");
    }

    #[test]
    fn downloads_are_named_for_people() {
        let today = day(2026, 11, 23);
        let export = TownshipRequest::Export { kind: RecordKind::Visits, format: ExportFormat::Xlsx, filter: full_filter() };
        assert_eq!(
            export.file_name("", today, Lang::ZhCn),
            "走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx"
        );
        let plain =
            TownshipRequest::Export { kind: RecordKind::Children, format: ExportFormat::Csv, filter: ListFilter::default() };
        assert_eq!(plain.file_name("", today, Lang::ZhCn), "儿童信息_导出2026-11-23.csv");
        assert_eq!(plain.file_name("", today, Lang::En), "children_exported-2026-11-23.csv");
        let odd = ListFilter { village: Some("a/b:c".into()), to: Some(today), ..ListFilter::default() };
        let odd = TownshipRequest::Export { kind: RecordKind::Children, format: ExportFormat::Json, filter: odd };
        assert_eq!(odd.file_name("", today, Lang::ZhCn), "儿童信息_a_b_c_至2026-11-23_导出2026-11-23.json");
        assert_eq!(
            export.file_name("石门镇", today, Lang::ZhCn),
            "石门镇_走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx"
        );
        let id = Uuid::parse_str("0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a").unwrap();
        assert_eq!(
            TownshipRequest::Archive(id).file_name("石门镇", today, Lang::ZhCn),
            "石门镇_儿童档案_0b7d2f3c_导出2026-11-23.zip"
        );
        assert_eq!(archive_file_name(" ", id, today, Lang::En), "child-file_0b7d2f3c_exported-2026-11-23.zip");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever is typed as the village, the server reads back exactly that village
        /// (trimmed), and nothing else leaks into the query.
        #[test]
        fn any_village_reads_back_as_typed(village in any::<String>(), page in 1u32..1000) {
            let filter = ListFilter { village: Some(village.clone()), page: Some(page), ..ListFilter::default() };
            let path = TownshipRequest::List { kind: RecordKind::Children, filter }.path();
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

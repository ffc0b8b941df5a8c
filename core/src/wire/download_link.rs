//! One-time download links (`POST /api/v1/download-links`): where a browser does not save
//! downloads (WeChat's), the supervisor's (or the county's) app asks for a link to the same file that works
//! once, for a few minutes, without her token, to copy into the phone's own browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::export::ExportQuery;
use crate::supervision::TownshipRequest;
use crate::RecordKind;

/// How long a link works, in minutes.
pub const DOWNLOAD_LINK_MINUTES: i64 = 10;

/// The file a link fetches: what the supervisor's `GET` would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DownloadTarget {
    /// `GET /exports/{kind}?{query}`: `query` as that call's query string.
    Export {
        /// `visit` or `child`.
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "visit"))]
        kind: RecordKind,
        query: String,
    },
    /// `GET /children/{child}/archive`.
    Archive { child: Uuid },
    /// `GET /county/statistics.xlsx`: the county's statistics as a workbook.
    CountyStatistics {},
}

impl DownloadTarget {
    /// The file of a download call of the supervisor's app; `None` for other calls.
    pub fn of(request: &TownshipRequest) -> Option<DownloadTarget> {
        match request {
            TownshipRequest::Export { kind, query } => {
                let query = ExportQuery { records: query.records.tidy(), ..query.clone() };
                Some(DownloadTarget::Export {
                    kind: *kind,
                    query: serde_urlencoded::to_string(&query).unwrap_or_default(),
                })
            }
            TownshipRequest::Archive(child) => Some(DownloadTarget::Archive { child: *child }),
            TownshipRequest::CountyWorkbook => Some(DownloadTarget::CountyStatistics {}),
            _ => None,
        }
    }

    /// An export's query string read as `GET /exports/{what}` reads it; `None` when it
    /// cannot be read, names a parameter nobody reads, or a format not offered online.
    pub fn export_query(query: &str) -> Option<ExportQuery> {
        let query: ExportQuery = serde_urlencoded::from_str(query).ok()?;
        query.is_taken_online().then_some(query)
    }
}

/// A link made: the path below the server's address, and until when it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadLink {
    /// `/api/v1/downloads/{code}`.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportFormat;
    use crate::record_filter::RecordFilter;
    use crate::RiskColour;

    #[test]
    fn a_link_names_the_file_the_download_call_would_fetch() {
        let records =
            RecordFilter {
                colour: Some(RiskColour::Red), village: Some(" 桃源村 ".into()), ..RecordFilter::default()
            };
        let export =
            TownshipRequest::Export { kind: RecordKind::Visit, query: ExportQuery::new(ExportFormat::Csv, records) };
        let target = DownloadTarget::of(&export).unwrap();
        let DownloadTarget::Export { kind, query } = &target else { panic!("an export") };
        assert_eq!(*kind, RecordKind::Visit);
        let read: ExportQuery = serde_urlencoded::from_str(query).unwrap();
        assert_eq!(
            (read.format, read.records.colour, read.records.village.as_deref()),
            (ExportFormat::Csv, Some(RiskColour::Red), Some("桃源村"))
        );
        let json = serde_json::to_string(&target).unwrap();
        assert!(json.starts_with(r#"{"export":{"kind":"visit","query":"format=csv"#), "{json}");
        assert_eq!(serde_json::from_str::<DownloadTarget>(&json).unwrap(), target);
        let child = Uuid::from_u128(9);
        assert_eq!(DownloadTarget::of(&TownshipRequest::Archive(child)), Some(DownloadTarget::Archive { child }));
        assert_eq!(DownloadTarget::of(&TownshipRequest::Phones), None);
        let county = DownloadTarget::of(&TownshipRequest::CountyWorkbook).unwrap();
        assert_eq!(serde_json::to_string(&county).unwrap(), r#"{"county_statistics":{}}"#);
        assert!(serde_json::from_str::<DownloadTarget>(r#"{"archive":{"child":"x"}}"#).is_err());
        assert_eq!(DownloadTarget::export_query(query).map(|q| q.format), Some(ExportFormat::Csv));
        assert!(DownloadTarget::export_query("format=xlsx&page=2").is_none(), "a parameter nobody reads");
        assert!(DownloadTarget::export_query("colour=pink").is_none());
    }
}

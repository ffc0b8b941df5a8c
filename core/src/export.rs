//! What an export is, in one vocabulary for the app, the server's endpoints and its command
//! line: the file formats, the query of `GET /api/v1/exports/{visits|children}`, and the
//! names downloads and folders are given.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::record_filter::{RecordFilter, UnknownParameters};
use crate::{Lang, RecordKind};

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// A readable Excel workbook: Chinese column names, choices by their labels, dates as dates.
    #[default]
    Xlsx,
    /// Readable CSV for Excel, with a byte order mark.
    Csv,
    /// One JSON array of the records, exactly as the app sends them.
    Json,
    /// One JSON object per line, exactly as the app sends it (command line only).
    Jsonl,
    /// CSV for scripts: wire names and codes, the answers as JSON (command line only).
    CsvCodes,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 5] =
        [ExportFormat::Xlsx, ExportFormat::Csv, ExportFormat::Json, ExportFormat::Jsonl, ExportFormat::CsvCodes];

    /// As in `?format=` and `--format`: `xlsx`, `csv`, `json`, `jsonl`, `csv-codes`.
    pub fn code(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::CsvCodes => "csv-codes",
        }
    }

    /// The format a code names.
    pub fn from_code(code: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|format| format.code() == code)
    }

    /// Whether a supervisor may ask the server for it (the machine formats are for the
    /// county's command line).
    pub fn is_offered_online(self) -> bool {
        matches!(self, ExportFormat::Xlsx | ExportFormat::Csv | ExportFormat::Json)
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv | ExportFormat::CsvCodes => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Jsonl => "jsonl",
        }
    }

    /// The HTTP `Content-Type` of an export in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "application/x-ndjson",
            ExportFormat::Json => "application/json",
            ExportFormat::Csv | ExportFormat::CsvCodes => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Whether the output is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        self == ExportFormat::Xlsx
    }
}

/// The query of an export: `?format=xlsx&village=桃源村&colour=red&from=2026-11-01`. Its
/// filter is a list's, without the page (an export takes every record the filter takes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportQuery {
    /// The file's format (`xlsx` unless given).
    #[serde(default)]
    pub format: ExportFormat,
    #[serde(flatten)]
    pub records: RecordFilter,
    /// Parameters nobody reads (a page among them), refused by the server.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownParameters,
}

impl ExportQuery {
    /// An export of `records` as `format`.
    pub fn new(format: ExportFormat, records: RecordFilter) -> ExportQuery {
        ExportQuery { format, records, unknown: UnknownParameters::new() }
    }

    /// Whether the server takes it from a supervisor: no parameter nobody reads, and a
    /// format offered online.
    pub fn is_taken_online(&self) -> bool {
        self.unknown.is_empty() && self.format.is_offered_online()
    }
}

/// The name an export is saved under, on the phone and in the server's
/// `Content-Disposition`: the township (when known), what, for which village, colour and
/// dates, and the day it was made, e.g.
/// `石门镇_走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx`. Never a child's
/// name: a file name shows in download lists, notifications and shared folders.
pub fn export_file_name(township: &str, kind: RecordKind, query: &ExportQuery, today: NaiveDate, lang: Lang) -> String {
    let filter = query.records.tidy();
    let mut parts = township_part(township);
    parts.push(kind.label(lang).to_owned());
    if let Some(village) = filter.village {
        parts.push(village);
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
    format!("{}.{}", safe_file_name(&parts.join("_")), query.format.extension())
}

/// The name the county's statistics are saved under: `全县统计_导出2026-12-10.xlsx`.
pub fn statistics_file_name(today: NaiveDate, lang: Lang) -> String {
    let name = format!("{}_{}{today}", lang.pick("全县统计", "county-statistics"), lang.pick("导出", "exported-"));
    format!("{}.xlsx", safe_file_name(&name))
}

/// The name a child's whole file is saved under: the township, what, the first 8 digits of
/// the child's id and the day, e.g. `石门镇_儿童档案_0b7d2f3c_导出2026-11-23.zip`; never
/// the child's name.
pub fn archive_file_name(township: &str, child: Uuid, today: NaiveDate, lang: Lang) -> String {
    let mut parts = township_part(township);
    parts.push(lang.pick("儿童档案", "child-file").to_owned());
    parts.push(short_id(child));
    parts.push(format!("{}{today}", lang.pick("导出", "exported-")));
    format!("{}.zip", safe_file_name(&parts.join("_")))
}

/// The folder of one child inside a zip the county keeps (`export --what photos`, a child's
/// whole file): `王小明_0b7d2f3c`, or the short id alone when the name is not known.
pub fn child_folder(name: &str, child: Uuid) -> String {
    let name = safe_file_name(name);
    if name.is_empty() {
        short_id(child)
    } else {
        format!("{name}_{}", short_id(child))
    }
}

/// The first 8 hexadecimal digits of an id.
fn short_id(id: Uuid) -> String {
    id.simple().to_string().chars().take(8).collect()
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

/// `text` as a file or folder name: what file systems refuse (`/ \ : * ? " < > |`, control
/// characters) as `_`, without the spaces and dots some refuse at either end.
pub fn safe_file_name(text: &str) -> String {
    let safe: String =
        text.chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect();
    safe.trim_matches(|c: char| c.is_whitespace() || c == '.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_county_statistics_are_named_for_the_day() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        assert_eq!(statistics_file_name(day, Lang::ZhCn), "全县统计_导出2026-12-10.xlsx");
        assert_eq!(statistics_file_name(day, Lang::En), "county-statistics_exported-2026-12-10.xlsx");
    }
    use crate::RiskColour;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn child() -> Uuid {
        Uuid::parse_str("0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a").unwrap()
    }

    #[test]
    fn each_format_reads_back_from_its_code_and_its_json() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_code(format.code()), Some(format));
            assert_eq!(serde_json::to_string(&format).unwrap(), format!("\"{}\"", format.code()));
        }
        let online: Vec<_> = ExportFormat::ALL.into_iter().filter(|f| f.is_offered_online()).collect();
        assert_eq!(online, [ExportFormat::Xlsx, ExportFormat::Csv, ExportFormat::Json]);
        assert_eq!(ExportFormat::CsvCodes.extension(), "csv");
        assert!(ExportFormat::Xlsx.is_binary() && !ExportFormat::Csv.is_binary());
    }

    #[test]
    fn downloads_are_named_for_people() {
        let today = day(2026, 11, 23);
        let records = RecordFilter {
            village: Some("桃源村".into()),
            colour: Some(RiskColour::Red),
            from: Some(day(2026, 11, 1)),
            to: Some(day(2026, 11, 30)),
        };
        let query = ExportQuery::new(ExportFormat::Xlsx, records);
        assert_eq!(
            export_file_name("", RecordKind::Visit, &query, today, Lang::ZhCn),
            "走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx"
        );
        assert_eq!(
            export_file_name("石门镇", RecordKind::Visit, &query, today, Lang::ZhCn),
            "石门镇_走访记录_桃源村_红色_2026-11-01至2026-11-30_导出2026-11-23.xlsx"
        );
        let plain = ExportQuery::new(ExportFormat::Csv, RecordFilter::default());
        assert_eq!(export_file_name("", RecordKind::Child, &plain, today, Lang::ZhCn), "儿童信息_导出2026-11-23.csv");
        assert_eq!(
            export_file_name("", RecordKind::Child, &plain, today, Lang::En),
            "children_exported-2026-11-23.csv"
        );
        let odd = RecordFilter { village: Some(" a/b:c ".into()), to: Some(today), ..RecordFilter::default() };
        let odd = ExportQuery::new(ExportFormat::Json, odd);
        assert_eq!(
            export_file_name("", RecordKind::Child, &odd, today, Lang::ZhCn),
            "儿童信息_a_b_c_至2026-11-23_导出2026-11-23.json"
        );
        assert_eq!(
            archive_file_name("石门镇", child(), today, Lang::ZhCn),
            "石门镇_儿童档案_0b7d2f3c_导出2026-11-23.zip"
        );
        assert_eq!(archive_file_name(" ", child(), today, Lang::En), "child-file_0b7d2f3c_exported-2026-11-23.zip");
    }

    #[test]
    fn a_child_s_folder_is_named_safely() {
        assert_eq!(child_folder("王小明", child()), "王小明_0b7d2f3c");
        assert_eq!(child_folder("  ", child()), "0b7d2f3c");
        assert_eq!(child_folder("../王/小明.", child()), "_王_小明_0b7d2f3c");
        assert_eq!(child_folder("a\u{0}b", child()), "a_b_0b7d2f3c");
    }
}

//! The county's reading of the audit log (日志, `GET /api/v1/county/audit`): who read,
//! exported, invited, enrolled, revoked or sent what, filtered and a page at a time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Lines on one page of the audit log.
pub const AUDIT_PER_PAGE: u32 = 50;

/// `?actor=王督导&action=export_visits&from=2026-11-01&to=2026-11-30&page=2`: all apply
/// together; days are UTC, both included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only the rows of this actor (the worker's name as it was then, or the command line's user), exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Only this action, such as `read_child`, `export_visits`, `make_invite`, `enroll`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Rows on or after this day (`YYYY-MM-DD`, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Rows on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// From 1; [`AUDIT_PER_PAGE`] lines a page, the newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl AuditQuery {
    /// The page asked for, from 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// The query string (without `?`), empty for none: what the app asks.
    pub fn query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        if let Some(actor) = text(&self.actor) {
            query.append_pair("actor", &actor);
        }
        if let Some(action) = text(&self.action) {
            query.append_pair("action", &action);
        }
        if let Some(from) = self.from {
            query.append_pair("from", &from.to_string());
        }
        if let Some(to) = self.to {
            query.append_pair("to", &to.to_string());
        }
        if let Some(page) = self.page.filter(|page| *page > 1) {
            query.append_pair("page", &page.to_string());
        }
        query.finish()
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    /// The worker's name as it was then, or the command line's user.
    pub actor: String,
    /// The device, for a row of a phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
    pub action: String,
    /// What: a child's id, a list's filter, an invite's id and place.
    pub subject: String,
    /// The child it concerns, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_the_app_asks_reads_back_as_the_server_reads_it() {
        let query = AuditQuery {
            actor: Some(" 王督导 ".into()),
            action: Some("export_visits".into()),
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            to: None,
            page: Some(2),
        };
        let text = query.query_string();
        assert_eq!(text, "actor=%E7%8E%8B%E7%9D%A3%E5%AF%BC&action=export_visits&from=2026-11-01&page=2");
        let back: AuditQuery = serde_urlencoded_like(&text);
        assert_eq!(back.actor.as_deref(), Some("王督导"));
        assert_eq!((back.page(), back.from), (2, query.from));
        assert_eq!(AuditQuery::default().query_string(), "");
    }

    /// Reads `a=b&c=d` as the server's `Query` does.
    fn serde_urlencoded_like(text: &str) -> AuditQuery {
        let mut map = serde_json::Map::new();
        for (key, value) in form_urlencoded::parse(text.as_bytes()).into_owned() {
            let value =
                if key == "page" { serde_json::json!(value.parse::<u32>().unwrap()) } else { serde_json::json!(value) };
            map.insert(key, value);
        }
        serde_json::from_value(serde_json::Value::Object(map)).unwrap()
    }
}

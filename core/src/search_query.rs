//! What a worker types into a search box (the due list, the children's list, choosing a
//! child for a visit), and the one rule for whether a name or a village matches it: it
//! contains the typed text, ignoring surrounding spaces and the case of Latin letters.
//! (Names are written in Chinese characters, which have no case; comparing Latin letters
//! alone keeps the app free of Unicode's case tables.)

/// A search as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(String);

impl SearchQuery {
    /// The query of `typed`.
    ///
    /// ```
    /// use tongxing_core::search_query::SearchQuery;
    /// let query = SearchQuery::new(" li ");
    /// assert!(query.matches("Li Fang 李芳"));
    /// assert!(!query.matches("王兰"));
    /// ```
    pub fn new(typed: &str) -> SearchQuery {
        SearchQuery(typed.trim().to_ascii_lowercase())
    }

    /// Whether nothing was typed (everything matches).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        self.0.is_empty() || text.to_ascii_lowercase().contains(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_matches_what_it_contains() {
        assert!(SearchQuery::new("").matches("赵小雨"));
        assert!(SearchQuery::new("  ").is_empty());
        assert!(SearchQuery::new(" 小雨 ").matches("赵小雨"));
        assert!(!SearchQuery::new("小雪").matches("赵小雨"));
        assert!(SearchQuery::new("ZHAO").matches("zhao xiaoyu"));
        assert!(SearchQuery::new("桃源").matches("桃源村"));
    }
}

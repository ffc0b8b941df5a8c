//! Reusable widgets.

mod child_picker;
mod child_summary;
mod choice_buttons;
mod draft_row;
mod due_entry_row;
mod field_frame;
pub mod fields;
mod form_field;
mod form_renderer;
mod guardian_rows;
mod mandatory_report_prompt;
mod month_progress_bar;
mod risk_badge;
mod risk_suggestion;
mod search_box;
mod sync_state_label;
mod sync_status_bar;
mod visit_summary_row;

pub use child_picker::ChildPicker;
pub use child_summary::{ChildFacts, ChildSummary};
pub use choice_buttons::ChoiceButtons;
pub use draft_row::draft_row;
pub use due_entry_row::{colour_badge, due_entry_row, due_text, START_VISIT};
pub use field_frame::FieldFrame;
pub use form_field::FormField;
pub use form_renderer::{section_dom_id, FormRenderer};
pub use guardian_rows::{relation_choices, relation_label, GuardianRows};
pub use mandatory_report_prompt::MandatoryReportPrompt;
pub use month_progress_bar::MonthProgressBar;
pub use risk_badge::RiskBadge;
pub use risk_suggestion::RiskSuggestionPanel;
pub use search_box::SearchBox;
pub use sync_state_label::SyncStateLabel;
pub use sync_status_bar::SyncStatusBar;
pub use visit_summary_row::visit_summary_row;

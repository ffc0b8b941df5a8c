//! Reusable widgets.

mod child_picker;
mod choice_buttons;
mod field_frame;
mod form_field;
pub mod fields;
mod form_renderer;
mod mandatory_report_prompt;
mod risk_badge;
mod risk_suggestion;
mod sync_state_label;
mod sync_status_bar;

pub use child_picker::ChildPicker;
pub use choice_buttons::ChoiceButtons;
pub use field_frame::FieldFrame;
pub use form_field::FormField;
pub use form_renderer::{section_dom_id, FormRenderer};
pub use mandatory_report_prompt::MandatoryReportPrompt;
pub use risk_badge::RiskBadge;
pub use risk_suggestion::RiskSuggestionPanel;
pub use sync_state_label::SyncStateLabel;
pub use sync_status_bar::SyncStatusBar;

//! Reusable widgets.

mod choice_buttons;
mod form_field;
mod risk_badge;
mod sync_state_label;
mod sync_status_bar;

pub use choice_buttons::ChoiceButtons;
pub use form_field::FormField;
pub use risk_badge::RiskBadge;
pub use sync_state_label::SyncStateLabel;
pub use sync_status_bar::SyncStatusBar;

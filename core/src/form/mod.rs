//! Forms are data: a versioned definition (sections, fields, kinds, required, show-if,
//! constraints, choice lists, zh-CN and English labels) rendered by one generic renderer in
//! the app and checked by one validator here.

mod answer;

pub use answer::{AnswerValue, Answers};

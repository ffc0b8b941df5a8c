//! Joining a phone from an invite link (the app's side of `GET /api/v1/invites/{code}` and
//! `POST /api/v1/enroll`): reading the link, and what each answer means for the worker.
//! The bodies themselves are in [`crate::worker`].

mod invite_link;
mod join_problem;

pub use invite_link::{is_server_address, InviteLink};
pub use join_problem::{read_reply, JoinProblem, INVITE_EXPIRED, INVITE_NOT_FOUND, INVITE_USED_UP};

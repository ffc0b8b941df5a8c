//! Joining a phone from an invite link (the app's side of `GET /api/v1/invites/{code}` and
//! `POST /api/v1/enroll`): reading the link, and what each answer means for the worker.
//! The bodies themselves are in [`crate::wire`].

mod device_enrolment;
mod invite_link;
mod join_problem;
mod server_origin;
mod share_link;
mod token_hash;
mod trusted_servers;

pub use device_enrolment::{DeviceEnrolment, KeptCounty, TOKEN_ROTATION_DAYS};
pub use invite_link::InviteLink;
pub use join_problem::{read_reply, JoinProblem};
pub use server_origin::{ServerOrigin, ServerRefused};
pub use token_hash::token_hash;
pub use trusted_servers::TrustedServers;

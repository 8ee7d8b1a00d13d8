//! One command in many profiles at once (`exec --each`): which profiles
//! ([`select`]), running the children ([`run`]) and what is reported
//! ([`report`]). Credentials and the shared endpoint are the caller's
//! (`commands::fanout`); this module never touches a terminal.

pub mod report;
#[cfg(unix)]
pub mod run;
pub mod select;

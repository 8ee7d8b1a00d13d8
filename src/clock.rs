//! The one place that asks the system for the time. Everything else takes `now`
//! as an argument, so tests and snapshots can freeze it.

use std::time::SystemTime;

/// The current time.
pub fn now() -> SystemTime {
    SystemTime::now()
}

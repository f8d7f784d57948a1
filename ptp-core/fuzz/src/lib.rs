//! Shared checks of ptp-core's fuzz targets (`fuzz_targets/`).
//!
//! Every target asserts a contract, not only the absence of panics:
//! - [`dataset::check`]: a dataset that parses emits exactly `buffer_len()`
//!   bytes, refuses a buffer one byte short, parses back equal, re-emits the
//!   same bytes, ignores trailing bytes and refuses its own encoding cut by one;
//! - [`framing::trace`]: the framer consumes no more than it is given, asks
//!   for more only when it needs more, always makes progress, and gives the
//!   same frames however the stream is split;
//! - [`handler::ScriptedHandler`]: a test double of a device whose answers
//!   come from the fuzz input and which checks the offsets the responder
//!   engine hands it;
//! - [`session::fresh_session_works`]: after `reset()`, an engine serves (or
//!   runs) a whole session against a real counterpart engine.
//!
//! Assertions are the point here: a failed one is a crash the fuzzer reports.

pub mod chunks;
pub mod dataset;
pub mod framing;
pub mod handler;
pub mod session;

//! Helpers shared by the end-to-end tests in `tests/tests/`: temporary
//! directories, a virtual camera on an ephemeral loopback port, the real
//! `gphoto2` as a client, a raw PTP/IP client for the robustness cases
//! no real peer produces, and a relay that records a PTP/IP exchange.
//!
//! Missing `gphoto2`: with `CI` set (to anything but empty, `0` or
//! `false`) the gphoto2 tests fail; otherwise they print a loud SKIP with
//! the install command and pass without checking anything.
// Test support code: a setup step that fails (bind, copy, spawn) is a
// failed test, so `expect` with a message is the right reaction.
#![allow(clippy::expect_used, clippy::panic)]

pub mod camera;
pub mod gphoto2;
pub mod raw_client;
pub mod relay;
pub mod temp;

//! # ptp-embassy
//!
//! Board-independent firmware on embassy, built on ptp-core:
//! - the USB Still Image class for embassy-usb ([`StillImageClass`], with
//!   the class requests in [`control`]) and the device task that runs
//!   ptp-core's responder over it ([`Device`]);
//! - a PTP device over a [`Storage`] ([`ObjectServer`]), with an example
//!   store in flash whose "capture" adds a picture ([`FlashStore`]);
//! - the camera [`trigger`]: ptp-core's initiator client releasing a
//!   camera's shutter over USB host or PTP/IP.
//!
//! Nothing here touches a board: the board crates in `firmware/boards/`
//! give it a USB driver, buffers and an executor. It builds for the host
//! too, where its tests drive the class through a driver double.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

#[macro_use]
mod fmt;

pub mod class;
pub mod control;
pub mod device;
pub mod example;
pub mod flash_store;
pub mod object_server;
pub mod storage;
pub mod trigger;

pub use class::{State, StillImageClass};
pub use device::{BufferTooSmall, Device, DeviceHandler};
pub use flash_store::{FlashObject, FlashStore};
pub use object_server::{Identity, ObjectServer};
pub use storage::{ObjectEntry, Storage, StorageError, StorageSummary};

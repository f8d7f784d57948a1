//! How each kind of camera is told to take a picture, and which events say
//! it did. Operation, property and event codes come from ptp-core's code
//! tables, named with their vendor.
//!
//! | release | setup after OpenSession | shutter | the picture is there when |
//! |---|---|---|---|
//! | [`Release::Standard`] | – | InitiateCapture (0x100E) | ObjectAdded (0x4002), CaptureComplete (0x400D) |
//! | [`Release::CanonEos`] | SetRemoteMode 1, SetEventMode 1 | RemoteRelease (0x910F) | ObjectAddedEx in GetEvent (0x9116) data, or the standard events |
//! | [`Release::Nikon`] | – | InitiateCaptureRecInSdram (0x90C0, no autofocus) | ObjectAddedInSDRAM (0xC101) / CaptureCompleteRecInSdram (0xC102), or the standard events |
//! | [`Release::Sony`] | SDIOConnect 1, 2, GetExtDeviceInfo, SDIOConnect 3 | SDIOControlDevice (0x9207): ShutterHalfRelease and ShutterRelease down, then up | ObjectAdded (0xC201) |

use super::command::{Reply, command, command_out};
use ptp_core::client::{Channel, Client, ClientError, Clock};
use ptp_core::codes::{Vendor, canon_eos, nikon, sony, standard};
use ptp_core::wire::Writer;

/// The way to release the shutter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Release {
    /// PTP's InitiateCapture.
    Standard,
    /// Canon EOS RemoteRelease.
    CanonEos,
    /// Nikon InitiateCaptureRecInSdram.
    Nikon,
    /// Sony's SDIO control of the shutter buttons.
    Sony,
}

/// What an event says about the capture in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Progress {
    /// A new object: its handle.
    ObjectAdded(u32),
    /// The capture is complete.
    Complete,
    /// Nothing about the capture.
    Other,
}

/// Sony's button states for SDIOControlDevice.
const SONY_BUTTON_DOWN: u16 = 2;
const SONY_BUTTON_UP: u16 = 1;
/// Nikon's "no autofocus before the capture" parameter.
const NIKON_NO_AUTOFOCUS: u32 = 0xFFFF_FFFF;

type Result<T, E> = core::result::Result<T, ClientError<E>>;

impl Release {
    /// The release for a camera of `vendor` (from DeviceInfo's code set).
    pub const fn for_vendor(vendor: Vendor) -> Release {
        match vendor {
            Vendor::CanonEos => Release::CanonEos,
            Vendor::Nikon => Release::Nikon,
            Vendor::Sony => Release::Sony,
            _ => Release::Standard,
        }
    }

    /// Whether completion comes from polling GetEvent instead of the event
    /// channel.
    pub const fn polls_events(self) -> bool {
        matches!(self, Release::CanonEos)
    }

    /// Whether the camera sends a completion event after the object.
    pub const fn sends_complete(self) -> bool {
        !matches!(self, Release::Sony)
    }

    /// What the camera needs once the session is open.
    pub async fn prepare<C: Channel, K: Clock, B: AsMut<[u8]>>(
        self,
        client: &mut Client<C, K, B>,
    ) -> Result<(), C::Error> {
        match self {
            Release::Standard | Release::Nikon => Ok(()),
            Release::CanonEos => {
                for code in [
                    canon_eos::Operation::SetRemoteMode.code(),
                    canon_eos::Operation::SetEventMode.code(),
                ] {
                    command(client, code, &[1], &mut Reply::Refuse).await?;
                }
                Ok(())
            }
            Release::Sony => {
                let connect = sony::Operation::SDIOConnect.code();
                for (code, params) in [
                    (connect, [1, 0, 0]),
                    (connect, [2, 0, 0]),
                    (sony::Operation::SDIOGetExtDeviceInfo.code(), [0xC8, 0, 0]),
                    (connect, [3, 0, 0]),
                ] {
                    let count = if code == connect { 3 } else { 1 };
                    let params = params.get(..count).unwrap_or(&[]);
                    command(client, code, params, &mut Reply::Discard).await?;
                }
                Ok(())
            }
        }
    }

    /// Releases the shutter.
    pub async fn fire<C: Channel, K: Clock, B: AsMut<[u8]>>(
        self,
        client: &mut Client<C, K, B>,
    ) -> Result<(), C::Error> {
        let (code, params): (u16, &[u32]) = match self {
            // Storage 0 and format 0: the camera's defaults.
            Release::Standard => (standard::Operation::InitiateCapture.code(), &[0, 0]),
            Release::CanonEos => (canon_eos::Operation::RemoteRelease.code(), &[]),
            Release::Nikon => (
                nikon::Operation::InitiateCaptureRecInSdram.code(),
                &[NIKON_NO_AUTOFOCUS],
            ),
            Release::Sony => {
                let half = sony::DeviceProperty::ShutterHalfRelease.code();
                let full = sony::DeviceProperty::ShutterRelease.code();
                for (button, state) in [
                    (half, SONY_BUTTON_DOWN),
                    (full, SONY_BUTTON_DOWN),
                    (full, SONY_BUTTON_UP),
                    (half, SONY_BUTTON_UP),
                ] {
                    sony_control(client, button, state).await?;
                }
                return Ok(());
            }
        };
        command(client, code, params, &mut Reply::Refuse).await
    }

    /// What an event with `code` and first parameter `param` means.
    pub fn progress(self, code: u16, param: u32) -> Progress {
        let standard_added = standard::Event::ObjectAdded.code();
        let standard_complete = standard::Event::CaptureComplete.code();
        match self {
            _ if code == standard_added => Progress::ObjectAdded(param),
            _ if code == standard_complete => Progress::Complete,
            Release::Nikon if code == nikon::Event::ObjectAddedInSDRAM.code() => {
                Progress::ObjectAdded(param)
            }
            Release::Nikon if code == nikon::Event::CaptureCompleteRecInSdram.code() => {
                Progress::Complete
            }
            Release::Sony if code == sony::Event::ObjectAdded.code() => {
                Progress::ObjectAdded(param)
            }
            Release::CanonEos if code == canon_eos::Event::ObjectAddedEx.code() => {
                Progress::ObjectAdded(param)
            }
            _ => Progress::Other,
        }
    }
}

/// SDIOControlDevice: sets one of Sony's control properties to a `u16`.
async fn sony_control<C: Channel, K: Clock, B: AsMut<[u8]>>(
    client: &mut Client<C, K, B>,
    property: u16,
    value: u16,
) -> Result<(), C::Error> {
    let mut data = [0u8; 2];
    let mut writer = Writer::new(&mut data);
    writer.u16(value)?;
    let code = sony::Operation::SDIOControlDevice.code();
    let params = [u32::from(property)];
    command_out(client, code, &params, &data).await
}

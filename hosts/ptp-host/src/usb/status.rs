//! Get Device Status (class request 0x67) as the host sees it: the status
//! a device reported, why a device may report none, and what the device
//! said after a Cancel (class request 0x64).
//!
//! The bytes are parsed by ptp-core's [`DeviceStatus`]; this module only
//! tells an empty answer (QEMU 7.2's usb-mtp answers the request with a
//! zero-length data stage and success) from a malformed one, so neither
//! turns into a bare "I/O error".

use ptp_core::DecodeError;
use ptp_core::dataset::DeviceStatus;
use std::fmt;

/// A Get Device Status answer, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReport {
    /// The status: a response code (0x2001 OK, 0x2019 Device Busy,
    /// 0x201F Transaction Cancelled, ...).
    pub code: u16,
    /// The parameters (after a stall: the stalled endpoints).
    pub params: Vec<u32>,
}

impl StatusReport {
    /// Whether the device says it is ready.
    pub const fn is_ok(&self) -> bool {
        self.code == DeviceStatus::OK
    }

    /// The report in the data of a Get Device Status answer.
    pub fn parse(bytes: &[u8]) -> Result<StatusReport, StatusError> {
        if bytes.is_empty() {
            return Err(StatusError::Empty);
        }
        let status = DeviceStatus::parse(bytes).map_err(StatusError::Malformed)?;
        Ok(StatusReport {
            code: status.code,
            params: status.params.iter().collect(),
        })
    }
}

/// Why Get Device Status gave no status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusError {
    /// The control transfer failed (a stall: the device refuses the
    /// request).
    Usb(rusb::Error),
    /// The device answered with no data at all.
    Empty,
    /// The data is not a device status.
    Malformed(DecodeError),
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusError::Usb(rusb::Error::Pipe) => f.write_str(
                "the device refused Get Device Status (class request 0x67) with a stall",
            ),
            StatusError::Usb(error) => {
                write!(f, "Get Device Status (class request 0x67) failed: {error}")
            }
            StatusError::Empty => f.write_str(
                "the device returned no Get Device Status data (QEMU's usb-mtp does this)",
            ),
            StatusError::Malformed(error) => write!(
                f,
                "the device's Get Device Status data is malformed: {error}"
            ),
        }
    }
}

impl std::error::Error for StatusError {}

/// How the device confirmed the last cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Get Device Status said OK after `polls` requests; `codes` are the
    /// other statuses it gave before (Device Busy while it cleaned up).
    Ready {
        /// Get Device Status requests made.
        polls: u32,
        /// The statuses before OK, in order (at most a few kept).
        codes: Vec<u16>,
    },
    /// The device gave no usable status, so the host could not wait for
    /// it to be ready: it drained the IN pipe instead.
    NoStatus(StatusError),
}

/// What happened after a Cancel request on USB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelOutcome {
    /// How the device confirmed it.
    pub confirmation: Confirmation,
    /// Bytes of the cancelled transaction still read from the IN pipe and
    /// dropped.
    pub dropped: u64,
}

impl fmt::Display for CancelOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.confirmation {
            Confirmation::Ready { polls, codes } => {
                write!(
                    f,
                    "Get Device Status said OK (0x2001) after {polls} request(s)"
                )?;
                if !codes.is_empty() {
                    let codes: Vec<String> =
                        codes.iter().map(|code| format!("0x{code:04X}")).collect();
                    write!(f, " (first {})", codes.join(", "))?;
                }
            }
            Confirmation::NoStatus(why) => {
                write!(f, "{why}, so the IN pipe was drained instead")?;
            }
        }
        write!(
            f,
            "; {} byte(s) of it dropped from the IN pipe",
            self.dropped
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn an_empty_answer_is_its_own_error() {
        assert_eq!(StatusReport::parse(&[]), Err(StatusError::Empty));
        let message = StatusError::Empty.to_string();
        assert!(message.contains("no Get Device Status data"), "{message}");
    }

    #[test]
    fn statuses_parse_with_their_parameters() {
        let ok = StatusReport::parse(&[4, 0, 0x01, 0x20]).unwrap();
        assert!(ok.is_ok());
        assert!(ok.params.is_empty());
        // Transaction Cancelled with bulk IN 0x81 stalled.
        let cancelled = StatusReport::parse(&[8, 0, 0x1F, 0x20, 0x81, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(cancelled.code, DeviceStatus::TRANSACTION_CANCELLED);
        assert_eq!(cancelled.params, [0x81]);
        assert!(!cancelled.is_ok());
    }

    #[test]
    fn malformed_answers_say_what_is_wrong() {
        // wLength 8 but only 4 bytes.
        let error = StatusReport::parse(&[8, 0, 0x01, 0x20]).unwrap_err();
        assert!(matches!(error, StatusError::Malformed(_)), "{error:?}");
        assert!(error.to_string().contains("wLength"), "{error}");
        // A single byte.
        assert!(matches!(
            StatusReport::parse(&[4]),
            Err(StatusError::Malformed(_))
        ));
    }

    #[test]
    fn cancel_outcomes_read_as_sentences() {
        let ready = CancelOutcome {
            confirmation: Confirmation::Ready {
                polls: 3,
                codes: vec![0x2019, 0x2019],
            },
            dropped: 512,
        };
        assert_eq!(
            ready.to_string(),
            "Get Device Status said OK (0x2001) after 3 request(s) (first 0x2019, 0x2019); \
             512 byte(s) of it dropped from the IN pipe"
        );
        let unconfirmed = CancelOutcome {
            confirmation: Confirmation::NoStatus(StatusError::Empty),
            dropped: 0,
        };
        assert!(
            unconfirmed
                .to_string()
                .starts_with("the device returned no Get Device Status data"),
            "{unconfirmed}"
        );
    }
}

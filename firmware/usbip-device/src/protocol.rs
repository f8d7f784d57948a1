//! The URB traffic of USB/IP (Linux `Documentation/usb/usbip_protocol.rst`)
//! after the device is attached: the host's virtual controller (vhci-hcd)
//! sends `USBIP_CMD_SUBMIT` and `USBIP_CMD_UNLINK`, the device answers
//! `USBIP_RET_SUBMIT` and `USBIP_RET_UNLINK`.
//!
//! Every message starts with a 48-byte header of big-endian 32-bit words:
//! command, seqnum, devid, direction (0 OUT, 1 IN), endpoint number, then
//! 28 bytes that depend on the command (for a submit: transfer flags,
//! transfer buffer length, start frame, number of ISO packets, interval and
//! the 8-byte SETUP packet of a control transfer). An OUT submit is
//! followed by its data; an IN reply by the data the device sent. Only the
//! header and lengths are read here: the payload is USB data for the
//! device stack (PTP bytes go to ptp-embassy untouched).

use std::fmt;

/// Bytes of every header.
pub const HEADER_LEN: usize = 48;

/// `USBIP_CMD_SUBMIT`.
const CMD_SUBMIT: u32 = 1;
/// `USBIP_CMD_UNLINK`.
const CMD_UNLINK: u32 = 2;
/// `USBIP_RET_SUBMIT`.
const RET_SUBMIT: u32 = 3;
/// `USBIP_RET_UNLINK`.
const RET_UNLINK: u32 = 4;

/// The largest OUT transfer accepted in one submit (Linux's usbfs allows
/// 16 MiB per process by default).
pub const MAX_TRANSFER: u32 = 16 * 1024 * 1024;

/// `URB_SHORT_NOT_OK`: a short IN transfer is an error (`-EREMOTEIO`).
pub const FLAG_SHORT_NOT_OK: u32 = 0x0001;
/// `URB_ZERO_PACKET`: an OUT transfer of whole packets ends with a ZLP.
pub const FLAG_ZERO_PACKET: u32 = 0x0040;

/// Linux error numbers, negated as in a URB's status.
pub mod status {
    /// Completed.
    pub const OK: i32 = 0;
    /// `-EPIPE`: the endpoint stalled.
    pub const STALL: i32 = -32;
    /// `-EOVERFLOW`: the device sent more than the transfer holds.
    pub const OVERFLOW: i32 = -75;
    /// `-ECONNRESET`: unlinked before it completed.
    pub const UNLINKED: i32 = -104;
    /// `-EREMOTEIO`: short IN transfer with `URB_SHORT_NOT_OK`.
    pub const SHORT: i32 = -121;
}

/// Transfer direction as the header gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Host to device.
    Out,
    /// Device to host.
    In,
}

/// A `USBIP_CMD_SUBMIT` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submit {
    /// The URB's sequence number (the reply carries it back).
    pub seqnum: u32,
    /// Direction.
    pub direction: Direction,
    /// Endpoint number, 0 to 15.
    pub endpoint: u8,
    /// URB transfer flags (`FLAG_*`).
    pub flags: u32,
    /// Bytes the transfer moves at most (IN) or exactly (OUT, following).
    pub length: u32,
    /// Number of ISO packets as sent (echoed in the reply).
    pub iso_packets: i32,
    /// The SETUP packet (control transfers).
    pub setup: [u8; 8],
}

/// A `USBIP_CMD_UNLINK` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unlink {
    /// This request's own sequence number.
    pub seqnum: u32,
    /// The submit to cancel.
    pub victim: u32,
}

/// A command from the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// A URB to run; OUT data of `length` bytes follows the header.
    Submit(Submit),
    /// Cancel a URB.
    Unlink(Unlink),
}

/// Why a header from the host was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// The command word is none of the two a host sends.
    UnknownCommand(u32),
    /// The direction word is neither 0 nor 1.
    BadDirection(u32),
    /// The endpoint number is over 15.
    BadEndpoint(u32),
    /// The transfer length is negative or over [`MAX_TRANSFER`].
    BadLength(u32),
    /// An isochronous transfer: this device has no isochronous endpoint.
    Isochronous(i32),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::UnknownCommand(word) => write!(
                f,
                "unknown USB/IP command {word:#x} (a host sends 1, CMD_SUBMIT, or 2, CMD_UNLINK); \
                 is the other end a vhci-hcd attach?"
            ),
            HeaderError::BadDirection(word) => {
                write!(f, "direction {word:#x} is neither 0 (OUT) nor 1 (IN)")
            }
            HeaderError::BadEndpoint(word) => write!(f, "endpoint number {word} is over 15"),
            HeaderError::BadLength(word) => write!(
                f,
                "transfer length {word:#x} is negative or over {MAX_TRANSFER} bytes"
            ),
            HeaderError::Isochronous(packets) => write!(
                f,
                "an isochronous transfer ({packets} packets); the device has no isochronous endpoint"
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

/// The header's 32-bit words (the first 40 bytes) and its last 8 bytes.
fn words(header: &[u8; HEADER_LEN]) -> ([u32; 10], [u8; 8]) {
    let (chunks, _) = header.as_chunks::<4>();
    let mut words = [0u32; 10];
    for (word, chunk) in words.iter_mut().zip(chunks) {
        *word = u32::from_be_bytes(*chunk);
    }
    let mut tail = [0u8; 8];
    if let Some((_, last)) = header.split_last_chunk::<8>() {
        tail = *last;
    }
    (words, tail)
}

impl Command {
    /// Parses a header from the host.
    pub fn parse(header: &[u8; HEADER_LEN]) -> Result<Command, HeaderError> {
        let (
            [
                command,
                seqnum,
                _devid,
                direction,
                endpoint,
                flags_or_victim,
                length,
                _start_frame,
                iso_packets,
                _interval,
            ],
            setup,
        ) = words(header);
        match command {
            CMD_SUBMIT => {
                let direction = match direction {
                    0 => Direction::Out,
                    1 => Direction::In,
                    other => return Err(HeaderError::BadDirection(other)),
                };
                let endpoint = u8::try_from(endpoint)
                    .ok()
                    .filter(|number| *number <= 15)
                    .ok_or(HeaderError::BadEndpoint(endpoint))?;
                if length > MAX_TRANSFER {
                    return Err(HeaderError::BadLength(length));
                }
                // Non-ISO URBs carry 0 or -1 (0xffffffff, newer kernels).
                let iso_packets = iso_packets as i32;
                if iso_packets > 0 {
                    return Err(HeaderError::Isochronous(iso_packets));
                }
                Ok(Command::Submit(Submit {
                    seqnum,
                    direction,
                    endpoint,
                    flags: flags_or_victim,
                    length,
                    iso_packets,
                    setup,
                }))
            }
            CMD_UNLINK => Ok(Command::Unlink(Unlink {
                seqnum,
                victim: flags_or_victim,
            })),
            other => Err(HeaderError::UnknownCommand(other)),
        }
    }

    /// Bytes of data that follow the header on the wire.
    pub fn data_len(&self) -> u32 {
        match self {
            Command::Submit(submit) if submit.direction == Direction::Out => submit.length,
            _ => 0,
        }
    }
}

/// A header with `words` in its first 40 bytes, the rest zero.
fn header(words: [u32; 10]) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    let (chunks, _) = header.as_chunks_mut::<4>();
    for (chunk, word) in chunks.iter_mut().zip(words) {
        *chunk = word.to_be_bytes();
    }
    header
}

/// Appends a `USBIP_RET_SUBMIT` for `submit` to `out`: the status, then
/// the data (IN only; `data` is empty for OUT, whose `done` bytes went to
/// the device).
pub fn ret_submit(out: &mut Vec<u8>, submit: &Submit, status: i32, done: u32, data: &[u8]) {
    // devid, direction and endpoint are 0 in a reply.
    out.extend_from_slice(&header([
        RET_SUBMIT,
        submit.seqnum,
        0,
        0,
        0,
        status as u32,
        done,
        0,
        submit.iso_packets as u32,
        0,
    ]));
    out.extend_from_slice(data);
}

/// Appends a `USBIP_RET_UNLINK` for `unlink` to `out`: status
/// [`status::UNLINKED`] if the URB was cancelled, [`status::OK`] if it had
/// already completed.
pub fn ret_unlink(out: &mut Vec<u8>, unlink: &Unlink, status: i32) {
    out.extend_from_slice(&header([
        RET_UNLINK,
        unlink.seqnum,
        0,
        0,
        0,
        status as u32,
        0,
        0,
        0,
        0,
    ]));
}

#[cfg(test)]
mod test {
    use super::*;

    fn submit_header(words: [u32; 10], setup: [u8; 8]) -> [u8; HEADER_LEN] {
        let mut bytes = header(words);
        bytes[40..].copy_from_slice(&setup);
        bytes
    }

    #[test]
    fn parses_a_control_submit_with_its_setup_packet() {
        let setup = [0x80, 6, 0, 1, 0, 0, 18, 0];
        let bytes = submit_header([1, 7, 0x10002, 1, 0, 0x200, 18, 0, 0, 0], setup);
        assert_eq!(
            Command::parse(&bytes),
            Ok(Command::Submit(Submit {
                seqnum: 7,
                direction: Direction::In,
                endpoint: 0,
                flags: 0x200,
                length: 18,
                iso_packets: 0,
                setup,
            }))
        );
        assert_eq!(Command::parse(&bytes).map(|c| c.data_len()), Ok(0));
        let out = submit_header([1, 8, 0x10002, 0, 2, 0, 512, 0, u32::MAX, 0], [0; 8]);
        assert_eq!(Command::parse(&out).map(|c| c.data_len()), Ok(512));
    }

    #[test]
    fn parses_an_unlink() {
        let bytes = header([2, 9, 0x10002, 0, 0, 7, 0, 0, 0, 0]);
        assert_eq!(
            Command::parse(&bytes),
            Ok(Command::Unlink(Unlink {
                seqnum: 9,
                victim: 7
            }))
        );
    }

    #[test]
    fn refuses_what_a_host_does_not_send() {
        let bad = |words| Command::parse(&header(words));
        assert_eq!(
            bad([3, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(HeaderError::UnknownCommand(3))
        );
        assert_eq!(
            bad([1, 1, 0, 2, 0, 0, 0, 0, 0, 0]),
            Err(HeaderError::BadDirection(2))
        );
        assert_eq!(
            bad([1, 1, 0, 0, 16, 0, 0, 0, 0, 0]),
            Err(HeaderError::BadEndpoint(16))
        );
        assert_eq!(
            bad([1, 1, 0, 0, 1, 0, u32::MAX, 0, 0, 0]),
            Err(HeaderError::BadLength(u32::MAX))
        );
        assert_eq!(
            bad([1, 1, 0, 0, 1, 0, 8, 0, 3, 0]),
            Err(HeaderError::Isochronous(3))
        );
    }

    #[test]
    fn replies_are_big_endian_with_the_seqnum_and_data() {
        let submit = Submit {
            seqnum: 0x0102_0304,
            direction: Direction::In,
            endpoint: 1,
            flags: 0,
            length: 64,
            iso_packets: -1,
            setup: [0; 8],
        };
        let mut out = Vec::new();
        ret_submit(&mut out, &submit, status::SHORT, 3, b"abc");
        assert_eq!(out.len(), HEADER_LEN + 3);
        assert_eq!(&out[..8], &[0, 0, 0, 3, 1, 2, 3, 4]);
        assert_eq!(&out[20..28], &[0xff, 0xff, 0xff, 0x87, 0, 0, 0, 3]);
        assert_eq!(&out[32..36], &[0xff; 4]);
        assert_eq!(&out[HEADER_LEN..], b"abc");

        let mut out = Vec::new();
        ret_unlink(
            &mut out,
            &Unlink {
                seqnum: 5,
                victim: 4,
            },
            status::UNLINKED,
        );
        assert_eq!(out.len(), HEADER_LEN);
        assert_eq!(&out[..8], &[0, 0, 0, 4, 0, 0, 0, 5]);
        assert_eq!(&out[20..24], &(-104i32).to_be_bytes());
    }
}

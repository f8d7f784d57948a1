//! StreamInfo (PTP 1.1, ISO 15740:2008 streaming): how a device frames a
//! stream; the data of GetStreamInfo (0x1024), read before GetStream
//! (0x1025).
//!
//! | field | type |
//! |---|---|
//! | DatasetSize | `u64` |
//! | TimeResolution | `u64` |
//! | FrameHeaderSize | `u32` |
//! | FrameMaxSize | `u32` |
//! | PacketHeaderSize | `u32` |
//! | PacketMaxSize | `u32` |
//! | PacketAlignment | `u32` |
//!
//! The field order and widths are those of `PTPStreamInfo` in the `ptp.h`
//! that libmtp shares with libgphoto2 (two `u64`, then five `u32`: 36
//! bytes). The fields are
//! kept as sent; DatasetSize is not checked against the input.

use super::check_buffer;
use crate::error::{DecodeError, EncodeError};
use crate::wire::{Reader, Writer};
use core::fmt;

/// A StreamInfo dataset. All fields are fixed-size: it is always 36 bytes.
///
/// Bytes after PacketAlignment are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StreamInfo {
    /// DatasetSize.
    pub dataset_size: u64,
    /// TimeResolution: the units of the stream's time stamps.
    pub time_resolution: u64,
    /// FrameHeaderSize: bytes of header before each frame.
    pub frame_header_size: u32,
    /// FrameMaxSize: the largest frame, in bytes.
    pub frame_max_size: u32,
    /// PacketHeaderSize: bytes of header before each packet.
    pub packet_header_size: u32,
    /// PacketMaxSize: the largest packet, in bytes.
    pub packet_max_size: u32,
    /// PacketAlignment: packets start on multiples of this many bytes.
    pub packet_alignment: u32,
}

impl StreamInfo {
    /// Bytes of a StreamInfo dataset.
    pub const LEN: usize = 8 + 8 + 4 * 5;

    /// Parses a StreamInfo dataset.
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(StreamInfo {
            dataset_size: r.u64("StreamInfo.DatasetSize")?,
            time_resolution: r.u64("StreamInfo.TimeResolution")?,
            frame_header_size: r.u32("StreamInfo.FrameHeaderSize")?,
            frame_max_size: r.u32("StreamInfo.FrameMaxSize")?,
            packet_header_size: r.u32("StreamInfo.PacketHeaderSize")?,
            packet_max_size: r.u32("StreamInfo.PacketMaxSize")?,
            packet_alignment: r.u32("StreamInfo.PacketAlignment")?,
        })
    }

    /// Bytes `emit` writes: always [`Self::LEN`].
    pub const fn buffer_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u64(self.dataset_size)?;
        w.u64(self.time_resolution)?;
        w.u32(self.frame_header_size)?;
        w.u32(self.frame_max_size)?;
        w.u32(self.packet_header_size)?;
        w.u32(self.packet_max_size)?;
        w.u32(self.packet_alignment)?;
        Ok(w.position())
    }
}

impl fmt::Display for StreamInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stream: time resolution {}, frames {}+{} bytes, packets {}+{} bytes aligned to {}",
            self.time_resolution,
            self.frame_header_size,
            self.frame_max_size,
            self.packet_header_size,
            self.packet_max_size,
            self.packet_alignment
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::error::DecodeErrorKind;

    static STREAM: [u8; 36] = [
        0x24, 0, 0, 0, 0, 0, 0, 0, // DatasetSize 36
        0x40, 0x42, 0x0F, 0, 0, 0, 0, 0, // TimeResolution 1_000_000
        0x10, 0, 0, 0, // FrameHeaderSize 16
        0x00, 0x00, 0x10, 0, // FrameMaxSize 1 MiB
        0x0C, 0, 0, 0, // PacketHeaderSize 12
        0x00, 0x02, 0, 0, // PacketMaxSize 512
        0x04, 0, 0, 0, // PacketAlignment 4
    ];

    fn stream() -> StreamInfo {
        StreamInfo {
            dataset_size: 36,
            time_resolution: 1_000_000,
            frame_header_size: 16,
            frame_max_size: 0x10_0000,
            packet_header_size: 12,
            packet_max_size: 512,
            packet_alignment: 4,
        }
    }

    #[test]
    fn parse() {
        let info = StreamInfo::parse(&STREAM).unwrap();
        assert_eq!(info.dataset_size, 36);
        assert_eq!(info.time_resolution, 1_000_000);
        assert_eq!(info.frame_header_size, 16);
        assert_eq!(info.frame_max_size, 0x10_0000);
        assert_eq!(info.packet_header_size, 12);
        assert_eq!(info.packet_max_size, 512);
        assert_eq!(info.packet_alignment, 4);
        assert_eq!(info, stream());
    }

    #[test]
    fn emit() {
        let mut buffer = [0u8; 36];
        assert_eq!(stream().emit(&mut buffer), Ok(36));
        assert_eq!(buffer, STREAM);
        assert_eq!(
            stream().emit(&mut buffer[..35]),
            Err(EncodeError::BufferTooSmall {
                needed: 36,
                available: 35
            })
        );
    }

    #[test]
    fn display() {
        assert_eq!(
            stream().to_string(),
            "stream: time resolution 1000000, frames 16+1048576 bytes, packets 12+512 bytes \
             aligned to 4"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for len in 0..STREAM.len() {
            assert!(StreamInfo::parse(&STREAM[..len]).is_err(), "{len}");
        }
        let err = StreamInfo::parse(&STREAM[..34]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "StreamInfo.PacketAlignment",
                32,
                DecodeErrorKind::Truncated {
                    needed: 4,
                    available: 2
                }
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0xFFu8; 40];
        bytes[..36].copy_from_slice(&STREAM);
        assert_eq!(StreamInfo::parse(&bytes), Ok(stream()));
    }
}

//! The USB/IP connection's receiving side: a thread that reads whole
//! commands (header, then the OUT data it announces) from the stream and
//! hands them to the executor's thread, waking it.
//!
//! What arrives is untrusted: a header that is not a command a host sends,
//! a length over [`MAX_TRANSFER`](crate::protocol::MAX_TRANSFER) or a stream
//! that ends inside a message ends the connection with a
//! [`ConnectionError`] that says so. Memory is bounded: each message by
//! `MAX_TRANSFER`, the messages read ahead by `READ_AHEAD`.

use crate::protocol::{Command, HEADER_LEN, HeaderError};
use std::fmt;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{self, Thread};

/// What the reader hands over.
#[derive(Debug)]
pub enum Incoming {
    /// A command and its OUT data.
    Command(Command, Vec<u8>),
    /// The host closed the connection between two messages.
    Closed,
    /// The connection broke or sent something no host sends.
    Failed(ConnectionError),
}

/// Why the connection ended badly.
#[derive(Debug)]
pub enum ConnectionError {
    /// Reading or writing the stream failed.
    Io(io::Error),
    /// A header that is no USB/IP command.
    Header(HeaderError),
    /// The stream ended inside a message.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes read of it.
        got: usize,
        /// Bytes it needed.
        needed: usize,
    },
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::Io(error) => write!(f, "the USB/IP stream failed: {error}"),
            ConnectionError::Header(error) => write!(f, "bad USB/IP header: {error}"),
            ConnectionError::Truncated { what, got, needed } => write!(
                f,
                "the USB/IP stream ended inside a message: {got} of the {needed} bytes of {what}"
            ),
        }
    }
}

impl std::error::Error for ConnectionError {}

/// Messages read ahead of the executor at most: a peer that sends faster
/// than the device answers makes the reader wait, so memory stays bounded
/// (this many transfers of at most `MAX_TRANSFER` bytes).
const READ_AHEAD: usize = 64;

/// Starts the reader on `stream`; it unparks `waker` after each message.
pub fn spawn_reader<R: Read + Send + 'static>(stream: R, waker: Thread) -> Receiver<Incoming> {
    let (sender, receiver) = sync_channel(READ_AHEAD);
    thread::spawn(move || read_loop(stream, &sender, &waker));
    receiver
}

fn read_loop(mut stream: impl Read, sender: &SyncSender<Incoming>, waker: &Thread) {
    loop {
        let incoming = match read_message(&mut stream) {
            Ok(Some((command, data))) => Incoming::Command(command, data),
            Ok(None) => Incoming::Closed,
            Err(error) => Incoming::Failed(error),
        };
        let last = !matches!(incoming, Incoming::Command(..));
        let sent = sender.send(incoming).is_ok();
        waker.unpark();
        if last || !sent {
            return;
        }
    }
}

/// The next message; `None` at a clean end of the stream.
pub fn read_message(stream: &mut impl Read) -> Result<Option<(Command, Vec<u8>)>, ConnectionError> {
    let mut header = [0u8; HEADER_LEN];
    let got = read_full(stream, &mut header)?;
    if got == 0 {
        return Ok(None);
    }
    if got < HEADER_LEN {
        return Err(ConnectionError::Truncated {
            what: "a header",
            got,
            needed: HEADER_LEN,
        });
    }
    let command = Command::parse(&header).map_err(ConnectionError::Header)?;
    // Bounded by MAX_TRANSFER when parsed.
    let needed = usize::try_from(command.data_len()).unwrap_or(usize::MAX);
    let mut data = vec![0u8; needed];
    let got = read_full(stream, &mut data)?;
    if got < needed {
        return Err(ConnectionError::Truncated {
            what: "OUT data",
            got,
            needed,
        });
    }
    Ok(Some((command, data)))
}

/// Reads until `buffer` is full or the stream ends; the bytes read.
fn read_full(stream: &mut impl Read, buffer: &mut [u8]) -> Result<usize, ConnectionError> {
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..)
        && !rest.is_empty()
    {
        match stream.read(rest) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(ConnectionError::Io(error)),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::protocol::{Direction, Submit};

    fn out_submit(length: u32) -> Vec<u8> {
        let words = [1u32, 5, 0x10002, 0, 2, 0, length, 0, 0, 0];
        let mut bytes: Vec<u8> = words.iter().flat_map(|word| word.to_be_bytes()).collect();
        bytes.extend([0u8; 8]);
        bytes
    }

    #[test]
    fn reads_a_header_with_its_data_then_the_clean_end() {
        let mut wire = out_submit(3);
        wire.extend(b"abc");
        let mut stream = wire.as_slice();
        let (command, data) = read_message(&mut stream).unwrap().unwrap();
        assert!(matches!(
            command,
            Command::Submit(Submit {
                seqnum: 5,
                direction: Direction::Out,
                endpoint: 2,
                ..
            })
        ));
        assert_eq!(data, b"abc");
        assert!(read_message(&mut stream).unwrap().is_none());
    }

    #[test]
    fn a_stream_cut_short_or_garbled_is_an_error() {
        let wire = out_submit(3);
        let error = read_message(&mut &wire[..20]).unwrap_err();
        assert!(error.to_string().contains("20 of the 48 bytes"), "{error}");
        let error = read_message(&mut wire.as_slice()).unwrap_err();
        assert!(error.to_string().contains("0 of the 3 bytes"), "{error}");
        let error = read_message(&mut &[0xAB; 48][..]).unwrap_err();
        assert!(matches!(error, ConnectionError::Header(_)), "{error}");
    }
}

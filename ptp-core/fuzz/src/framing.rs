//! Drives a [`Framer`] over a stream delivered in reads, checking its
//! contract at every call, and records what it recognised.

use ptp_core::framer::{Frame, Framer, Transport};
use ptp_core::message::Message;
use ptp_core::{DecodeError, Status};

/// One recognised unit, owned; adjacent payload slices are merged and empty
/// ones dropped, so traces of the same stream split differently compare
/// equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `Frame::Request`.
    Request {
        /// Code, transaction id and parameters.
        message: Owned,
        /// PTP/IP's data-phase flag.
        data_out: Option<bool>,
    },
    /// `Frame::Response`.
    Response(Owned),
    /// `Frame::Event`.
    Event(Owned),
    /// `Frame::DataStart`.
    DataStart {
        /// The transaction id.
        transaction_id: u32,
        /// The announced total.
        total: Option<u64>,
    },
    /// Payload bytes, merged.
    Data(Vec<u8>),
    /// `Frame::DataEnd`.
    DataEnd,
    /// `Frame::Cancel`.
    Cancel {
        /// The transaction id.
        transaction_id: u32,
    },
    /// `Frame::Other`, by its debug text.
    Other(String),
    /// The framer refused the stream here (and the trace stops).
    Error(DecodeError),
}

/// A message's code, transaction id and parameters, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owned {
    /// Code.
    pub code: u16,
    /// Transaction id.
    pub transaction_id: u32,
    /// Parameters.
    pub params: Vec<u32>,
}

impl From<Message<'_>> for Owned {
    fn from(message: Message<'_>) -> Self {
        Owned {
            code: message.code,
            transaction_id: message.transaction_id,
            params: message.params.iter().collect(),
        }
    }
}

/// Feeds `reads` one after the other to a new framer for `transport`, as a
/// transport would: unconsumed bytes stay in front, and a new read is
/// appended only when the framer says `Incomplete`. Checks at every call:
/// - `Complete` consumes no more than it was given;
/// - `Incomplete { needed }` asks for more than it has (else the caller
///   would wait forever for bytes already there);
/// - progress: a `Complete` that consumes nothing (the end of a data phase)
///   is never followed by another.
///
/// `Data` frames must borrow from the input given (zero copy). Returns the
/// trace, ending at the first error or when the reads run out.
pub fn trace<'r>(transport: Transport, reads: impl IntoIterator<Item = &'r [u8]>) -> Vec<Item> {
    let mut reads = reads.into_iter();
    let mut framer = Framer::new(transport);
    let mut pending: Vec<u8> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut idle_frames = 0;
    loop {
        match framer.next(&pending) {
            Ok(Status::Complete((frame, used))) => {
                assert!(
                    used <= pending.len(),
                    "consumed {used} of {}",
                    pending.len()
                );
                if used == 0 {
                    idle_frames += 1;
                    assert!(idle_frames <= 1, "two frames in a row consumed nothing");
                } else {
                    idle_frames = 0;
                }
                if let Frame::Data(bytes) = frame {
                    assert!(
                        within(bytes, &pending[..used]),
                        "payload is not a slice of the consumed input"
                    );
                }
                push(&mut items, frame);
                pending.drain(..used);
            }
            Ok(Status::Incomplete { needed }) => {
                assert!(
                    needed > pending.len(),
                    "Incomplete asks for {needed} bytes with {} at hand",
                    pending.len()
                );
                match reads.next() {
                    Some(read) => pending.extend_from_slice(read),
                    None => return items,
                }
            }
            Err(error) => {
                items.push(Item::Error(error));
                return items;
            }
        }
    }
}

/// Whether `part` lies inside `whole` (an empty slice anywhere counts).
pub fn within(part: &[u8], whole: &[u8]) -> bool {
    let range = whole.as_ptr_range();
    part.is_empty() || (range.start <= part.as_ptr() && part.as_ptr_range().end <= range.end)
}

fn push(items: &mut Vec<Item>, frame: Frame<'_>) {
    let item = match frame {
        Frame::Data([]) => return,
        Frame::Data(bytes) => {
            if let Some(Item::Data(previous)) = items.last_mut() {
                previous.extend_from_slice(bytes);
                return;
            }
            Item::Data(bytes.to_vec())
        }
        Frame::Request { message, data_out } => Item::Request {
            message: message.into(),
            data_out,
        },
        Frame::Response(message) => Item::Response(message.into()),
        Frame::Event(message) => Item::Event(message.into()),
        Frame::DataStart {
            transaction_id,
            total,
        } => Item::DataStart {
            transaction_id,
            total,
        },
        Frame::DataEnd => Item::DataEnd,
        Frame::Cancel { transaction_id } => Item::Cancel { transaction_id },
        Frame::Other(packet) => Item::Other(format!("{packet:?}")),
    };
    items.push(item);
}

//! Why a client call failed.

use super::DataError;
use crate::error::{DecodeError, EncodeError};
use crate::initiator::InitiatorError;
use core::fmt;

/// Why a [`Client`](super::Client) call failed. `E` is the channel's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ClientError<E> {
    /// The transport failed.
    Channel(E),
    /// The exchange broke the protocol, or timed out
    /// ([`InitiatorError::Timeout`]).
    Protocol(InitiatorError),
    /// The responder answered with a response code other than OK.
    Response {
        /// The operation.
        operation: u16,
        /// The response code.
        code: u16,
    },
    /// The data sink refused the data (and the transaction was cancelled).
    Sink(DataError),
    /// The data source failed (and the transaction was cancelled).
    Source(DataError),
    /// A dataset in the reply is malformed.
    Decode(DecodeError),
    /// A request or dataset could not be encoded.
    Encode(EncodeError),
    /// A container or packet larger than the client's receive buffer.
    BufferTooSmall {
        /// Bytes the unit needs.
        needed: usize,
        /// The buffer's size.
        available: usize,
    },
}

impl<E> ClientError<E> {
    /// The response code, when the responder refused the operation.
    pub const fn response_code(&self) -> Option<u16> {
        match self {
            ClientError::Response { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the transaction timed out.
    pub const fn is_timeout(&self) -> bool {
        matches!(self, ClientError::Protocol(InitiatorError::Timeout { .. }))
    }
}

impl<E: fmt::Display> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Channel(error) => write!(f, "transport: {error}"),
            ClientError::Protocol(error) => write!(f, "protocol: {error}"),
            ClientError::Response { operation, code } => write!(
                f,
                "operation 0x{operation:04X} refused with response 0x{code:04X}"
            ),
            ClientError::Sink(error) => write!(f, "receiving data: {error}"),
            ClientError::Source(error) => write!(f, "sending data: {error}"),
            ClientError::Decode(error) => write!(f, "malformed dataset: {error}"),
            ClientError::Encode(error) => write!(f, "cannot encode: {error}"),
            ClientError::BufferTooSmall { needed, available } => write!(
                f,
                "a reply of {needed} bytes does not fit the {available}-byte receive buffer"
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for ClientError<E> {}

impl<E> From<InitiatorError> for ClientError<E> {
    fn from(error: InitiatorError) -> Self {
        ClientError::Protocol(error)
    }
}

impl<E> From<DecodeError> for ClientError<E> {
    fn from(error: DecodeError) -> Self {
        ClientError::Decode(error)
    }
}

impl<E> From<EncodeError> for ClientError<E> {
    fn from(error: EncodeError) -> Self {
        ClientError::Encode(error)
    }
}

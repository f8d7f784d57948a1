//! The part of a request, response or event that USB containers and PTP/IP
//! packets share: a code, a transaction id and up to five `u32` parameters.

use crate::error::EncodeError;
use crate::wire::{Array, Writer};
use core::fmt;

/// The most parameters a request or response carries.
pub const MAX_PARAMS: usize = 5;
/// The most parameters an event carries.
pub const MAX_EVENT_PARAMS: usize = 3;

/// A request, response or event: code, transaction id, parameters. Parsed
/// messages borrow their parameters from the input.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// Operation, response or event code.
    pub code: u16,
    /// The transaction this message belongs to.
    pub transaction_id: u32,
    /// Up to five parameters.
    pub params: Array<'a, u32>,
}

impl<'a> Message<'a> {
    /// A message with parameters from a slice.
    pub const fn new(code: u16, transaction_id: u32, params: &'a [u32]) -> Self {
        Message {
            code,
            transaction_id,
            params: Array::Slice(params),
        }
    }

    /// Parameter `index` (0-based), or 0 when absent, as PTP specifies.
    pub fn param(&self, index: usize) -> u32 {
        self.params.get(index).unwrap_or(0)
    }

    /// Copies the parameters out, to keep them after the input is gone.
    pub fn to_owned_params(&self) -> OwnedParams {
        let mut owned = OwnedParams::default();
        for (slot, value) in owned.values.iter_mut().zip(self.params.iter()) {
            *slot = value;
            owned.len += 1;
        }
        owned
    }

    pub(crate) fn check_params(&self, max: usize) -> Result<(), EncodeError> {
        match self.params.len() {
            given if given > max => Err(EncodeError::TooManyParams { given, max }),
            _ => Ok(()),
        }
    }

    pub(crate) fn write_params(&self, writer: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.params.iter().try_for_each(|param| writer.u32(param))
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "0x{:04X} tid {} {:?}",
            self.code, self.transaction_id, self.params
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Message<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "{=u16:#06x} tid {=u32} {}",
            self.code,
            self.transaction_id,
            self.params
        );
    }
}

/// Parameters copied out of a message (at most five).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OwnedParams {
    values: [u32; MAX_PARAMS],
    len: usize,
}

impl OwnedParams {
    /// No parameters.
    pub const EMPTY: OwnedParams = OwnedParams {
        values: [0; MAX_PARAMS],
        len: 0,
    };

    /// Parameters from a slice; `None` if there are more than five.
    pub fn from_slice(params: &[u32]) -> Option<Self> {
        let mut owned = OwnedParams::default();
        if params.len() > MAX_PARAMS {
            return None;
        }
        for (slot, value) in owned.values.iter_mut().zip(params) {
            *slot = *value;
        }
        owned.len = params.len();
        Some(owned)
    }

    /// The parameters.
    pub fn as_slice(&self) -> &[u32] {
        self.values.get(..self.len).unwrap_or(&[])
    }

    /// Parameter `index`, or 0 when absent.
    pub fn get(&self, index: usize) -> u32 {
        self.as_slice().get(index).copied().unwrap_or(0)
    }
}

//! Little-endian primitives shared by every PTP format: a bounds-checked
//! [`Reader`] and [`Writer`], lazy [`PtpString`]s and [`Array`]s, typed
//! [`Value`]s of every PTP data type, and [`DateTime`].

mod array;
mod datetime;
mod reader;
mod string;
mod value;
mod writer;

pub use array::{Array, ArrayIter, Element};
pub use datetime::{DateTime, UtcOffset};
pub use reader::Reader;
pub use string::{MAX_STRING_UNITS, PtpString};
pub use value::{DataType, Value};
pub use writer::Writer;

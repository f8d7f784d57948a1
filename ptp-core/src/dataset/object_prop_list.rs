//! ObjectPropList (MTP 1.1): object property values of one or
//! more objects; the data of GetObjectPropList (0x9805), SetObjectPropList
//! (0x9806) and SendObjectPropList (0x9808).
//!
//! | field | type |
//! |---|---|
//! | NumberOfElements | `u32` |
//! | per element: ObjectHandle | `u32` |
//! | per element: PropertyCode | `u16` |
//! | per element: DataType | `u16` |
//! | per element: Value | of DataType |

use super::{check_buffer, consumed};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::wire::{DataType, Reader, Value, Writer};
use core::fmt;

/// The fewest bytes an element takes: handle, code, type and a 1-byte value.
const MIN_ELEMENT_LEN: usize = 4 + 2 + 2 + 1;

/// One element of an ObjectPropList: a property value of one object. The
/// DataType on the wire is the value's own ([`Value::data_type`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ObjectPropElement<'a> {
    /// ObjectHandle (0 in SendObjectPropList, for the object to be sent).
    pub object_handle: u32,
    /// PropertyCode.
    pub property_code: u16,
    /// Value, of the DataType sent with it.
    pub value: Value<'a>,
}

impl<'a> ObjectPropElement<'a> {
    fn read(reader: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let object_handle = reader.u32("ObjectPropList.ObjectHandle")?;
        let property_code = reader.u16("ObjectPropList.PropertyCode")?;
        let data_type = reader.data_type("ObjectPropList.DataType")?;
        Ok(ObjectPropElement {
            object_handle,
            property_code,
            value: reader.value("ObjectPropList.Value", data_type)?,
        })
    }

    /// The value's data type, as sent on the wire.
    pub const fn data_type(&self) -> DataType {
        self.value.data_type()
    }

    /// Bytes this element takes on the wire.
    pub fn encoded_len(&self) -> usize {
        4 + 2 + 2 + self.value.encoded_len()
    }

    fn write(&self, writer: &mut Writer<'_>) -> Result<(), EncodeError> {
        writer.u32(self.object_handle)?;
        writer.u16(self.property_code)?;
        writer.u16(self.data_type().code())?;
        self.value.write(writer)
    }
}

impl fmt::Display for ObjectPropElement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "object 0x{:08X} property 0x{:04X} {} = {}",
            self.object_handle,
            self.property_code,
            self.data_type(),
            self.value
        )
    }
}

/// The elements of an ObjectPropList: borrowed wire bytes (parsed, decoded
/// one by one when iterated) or a slice (to emit). Both compare equal when
/// their elements are equal.
///
/// A parsed `Wire` has been checked: all `count` elements decode. A `Wire`
/// built by hand from bad bytes iterates until the first element that does
/// not decode.
#[derive(Clone, Copy)]
pub enum ObjectPropElements<'a> {
    /// Elements as read from the wire.
    Wire {
        /// The encoded elements, without the count.
        bytes: &'a [u8],
        /// NumberOfElements.
        count: u32,
    },
    /// Elements to be written.
    Slice(&'a [ObjectPropElement<'a>]),
}

impl<'a> ObjectPropElements<'a> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            // u32 to usize: lossless on every target with 32-bit or wider
            // pointers, and a parsed count never exceeds the input length.
            ObjectPropElements::Wire { count, .. } => usize::try_from(*count).unwrap_or(usize::MAX),
            ObjectPropElements::Slice(elements) => elements.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements, in order.
    pub fn iter(&self) -> ObjectPropElementsIter<'a> {
        ObjectPropElementsIter {
            inner: match *self {
                ObjectPropElements::Wire { bytes, count } => Inner::Wire {
                    reader: Reader::new(bytes),
                    remaining: count,
                },
                ObjectPropElements::Slice(elements) => Inner::Slice(elements.iter()),
            },
        }
    }
}

impl<'a> From<&'a [ObjectPropElement<'a>]> for ObjectPropElements<'a> {
    fn from(elements: &'a [ObjectPropElement<'a>]) -> Self {
        ObjectPropElements::Slice(elements)
    }
}

impl<'a> IntoIterator for &ObjectPropElements<'a> {
    type Item = ObjectPropElement<'a>;
    type IntoIter = ObjectPropElementsIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for ObjectPropElements<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for ObjectPropElements<'_> {}

impl fmt::Debug for ObjectPropElements<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for ObjectPropElements<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "[");
        for (index, element) in self.iter().enumerate() {
            if index > 0 {
                defmt::write!(f, ", ");
            }
            defmt::write!(f, "{}", element);
        }
        defmt::write!(f, "]");
    }
}

/// Iterator over [`ObjectPropElements`].
#[derive(Clone, Debug)]
pub struct ObjectPropElementsIter<'a> {
    inner: Inner<'a>,
}

#[derive(Clone, Debug)]
enum Inner<'a> {
    Wire { reader: Reader<'a>, remaining: u32 },
    Slice(core::slice::Iter<'a, ObjectPropElement<'a>>),
}

impl<'a> Iterator for ObjectPropElementsIter<'a> {
    type Item = ObjectPropElement<'a>;

    fn next(&mut self) -> Option<ObjectPropElement<'a>> {
        match &mut self.inner {
            Inner::Wire { reader, remaining } => {
                *remaining = remaining.checked_sub(1)?;
                let element = ObjectPropElement::read(reader).ok();
                if element.is_none() {
                    *remaining = 0;
                }
                element
            }
            Inner::Slice(elements) => elements.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            // A hand-built `Wire` may end early.
            Inner::Wire { remaining, .. } => (0, usize::try_from(*remaining).ok()),
            Inner::Slice(elements) => elements.size_hint(),
        }
    }
}

/// An MTP ObjectPropList dataset.
///
/// Bytes after the last element are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ObjectPropList<'a> {
    /// The elements.
    pub elements: ObjectPropElements<'a>,
}

impl<'a> ObjectPropList<'a> {
    /// Parses an ObjectPropList dataset, borrowing `bytes`. Every element is
    /// decoded once here, so iterating the result cannot fail.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let count = r.u32("ObjectPropList.NumberOfElements")?;
        let fits = usize::try_from(count)
            .ok()
            .and_then(|count| count.checked_mul(MIN_ELEMENT_LEN))
            .is_some_and(|least| least <= r.rest().len());
        if !fits {
            return Err(DecodeError {
                field: "ObjectPropList.NumberOfElements",
                offset: 0,
                kind: DecodeErrorKind::BadLength(count),
            });
        }
        let before = r.rest();
        let start = r.position();
        for _ in 0..count {
            ObjectPropElement::read(&mut r)?;
        }
        let bytes = consumed(before, start, r.position(), "ObjectPropList.Value")?;
        Ok(ObjectPropList {
            elements: ObjectPropElements::Wire { bytes, count },
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        4 + match self.elements {
            ObjectPropElements::Wire { bytes, .. } => bytes.len(),
            ObjectPropElements::Slice(elements) => {
                elements.iter().map(ObjectPropElement::encoded_len).sum()
            }
        }
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        match self.elements {
            ObjectPropElements::Wire { bytes, count } => {
                w.u32(count)?;
                w.bytes(bytes)?;
            }
            ObjectPropElements::Slice(elements) => {
                let count =
                    u32::try_from(elements.len()).map_err(|_| EncodeError::TooManyElements)?;
                w.u32(count)?;
                for element in elements {
                    element.write(&mut w)?;
                }
            }
        }
        Ok(w.position())
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The elements, in order.
    pub fn iter(&self) -> ObjectPropElementsIter<'a> {
        self.elements.iter()
    }

    /// The value of `property_code` for `object_handle`, if listed.
    pub fn get(&self, object_handle: u32, property_code: u16) -> Option<Value<'a>> {
        self.iter()
            .find(|e| e.object_handle == object_handle && e.property_code == property_code)
            .map(|e| e.value)
    }
}

impl<'a> From<&'a [ObjectPropElement<'a>]> for ObjectPropList<'a> {
    fn from(elements: &'a [ObjectPropElement<'a>]) -> Self {
        ObjectPropList {
            elements: ObjectPropElements::Slice(elements),
        }
    }
}

impl fmt::Display for ObjectPropList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} properties", self.len())?;
        for element in self.iter() {
            write!(f, "; {element}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::wire::PtpString;

    /// Object 1: ObjectFileName "A.JPG", ObjectSize 1234; object 2:
    /// StorageID 0x00010001.
    static LIST: [u8; 53] = [
        0x03, 0x00, 0x00, 0x00, // NumberOfElements 3
        0x01, 0x00, 0x00, 0x00, // ObjectHandle 1
        0x07, 0xDC, // ObjectFileName
        0xFF, 0xFF, // STR
        0x06, b'A', 0x00, b'.', 0x00, b'J', 0x00, b'P', 0x00, b'G', 0x00, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x00, // ObjectHandle 1
        0x04, 0xDC, // ObjectSize
        0x08, 0x00, // UINT64
        0xD2, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 1234
        0x02, 0x00, 0x00, 0x00, // ObjectHandle 2
        0x01, 0xDC, // StorageID
        0x06, 0x00, // UINT32
        0x01, 0x00, 0x01, 0x00, // 0x00010001
    ];

    const ELEMENTS: [ObjectPropElement<'static>; 3] = [
        ObjectPropElement {
            object_handle: 1,
            property_code: 0xDC07,
            value: Value::Str(PtpString::Str("A.JPG")),
        },
        ObjectPropElement {
            object_handle: 1,
            property_code: 0xDC04,
            value: Value::UInt64(1234),
        },
        ObjectPropElement {
            object_handle: 2,
            property_code: 0xDC01,
            value: Value::UInt32(0x0001_0001),
        },
    ];

    #[test]
    fn deconstruct() {
        let list = ObjectPropList::parse(&LIST).unwrap();
        assert_eq!(list.len(), 3);
        assert!(list.iter().eq(ELEMENTS));
        assert_eq!(list.get(1, 0xDC04), Some(Value::UInt64(1234)));
        assert_eq!(list.get(2, 0xDC04), None);
        let first = list.iter().next().unwrap();
        assert_eq!(first.data_type(), DataType::Str);
    }

    #[test]
    fn parse() {
        assert_eq!(
            ObjectPropList::parse(&LIST),
            Ok(ObjectPropList::from(&ELEMENTS[..]))
        );
    }

    #[test]
    fn emit() {
        let list = ObjectPropList::from(&ELEMENTS[..]);
        assert_eq!(list.buffer_len(), LIST.len());
        let mut buffer = [0u8; 53];
        assert_eq!(list.emit(&mut buffer), Ok(53));
        assert_eq!(buffer, LIST);
        // A parsed list re-emits the same bytes.
        let mut again = [0u8; 53];
        assert_eq!(
            ObjectPropList::parse(&LIST).unwrap().emit(&mut again),
            Ok(53)
        );
        assert_eq!(again, LIST);
    }

    #[test]
    fn empty() {
        let list = ObjectPropList::parse(&[0, 0, 0, 0]).unwrap();
        assert!(list.is_empty());
        assert_eq!(list.iter().next(), None);
        assert_eq!(list.to_string(), "0 properties");
    }

    #[test]
    fn display() {
        let list = ObjectPropList::from(&ELEMENTS[1..2]);
        assert_eq!(
            list.to_string(),
            "1 properties; object 0x00000001 property 0xDC04 UINT64 = 1234"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for len in 0..LIST.len() {
            assert!(ObjectPropList::parse(&LIST[..len]).is_err(), "{len}");
        }
        let err = ObjectPropList::parse(&LIST[..50]).unwrap_err();
        assert_eq!((err.field, err.offset), ("ObjectPropList.Value", 49));
    }

    #[test]
    fn count_larger_than_input() {
        let mut bytes = LIST;
        bytes[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = ObjectPropList::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ObjectPropList.NumberOfElements",
                0,
                DecodeErrorKind::BadLength(u32::MAX)
            )
        );
    }

    #[test]
    fn unknown_data_type_in_element() {
        let mut bytes = LIST;
        bytes[31..33].copy_from_slice(&0x0000u16.to_le_bytes());
        let err = ObjectPropList::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ObjectPropList.DataType",
                31,
                DecodeErrorKind::UnknownDataType(0)
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0u8; 60];
        bytes[..53].copy_from_slice(&LIST);
        assert_eq!(
            ObjectPropList::parse(&bytes),
            Ok(ObjectPropList::from(&ELEMENTS[..]))
        );
    }

    #[test]
    fn hand_built_bad_wire_ends_early() {
        let elements = ObjectPropElements::Wire {
            bytes: &LIST[4..30],
            count: 3,
        };
        assert_eq!(elements.iter().count(), 1);
    }

    #[test]
    fn buffer_too_small() {
        let mut buffer = [0u8; 52];
        assert_eq!(
            ObjectPropList::from(&ELEMENTS[..]).emit(&mut buffer),
            Err(EncodeError::BufferTooSmall {
                needed: 53,
                available: 52
            })
        );
    }
}

//! PTP arrays: a u32 element count, then little-endian elements, iterated
//! lazily over the borrowed bytes.

use super::Writer;
use crate::error::EncodeError;
use core::fmt;

/// A fixed-size little-endian array element (the PTP integer types).
pub trait Element: Copy + PartialEq + fmt::Debug {
    /// Encoded size in bytes.
    const SIZE: usize;
    /// Decodes from exactly `SIZE` bytes; `None` for any other length.
    fn read(bytes: &[u8]) -> Option<Self>;
    /// Encodes into a writer.
    fn write(self, writer: &mut Writer<'_>) -> Result<(), EncodeError>;
}

macro_rules! element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            fn read(bytes: &[u8]) -> Option<Self> {
                bytes.try_into().ok().map(<$t>::from_le_bytes)
            }
            fn write(self, writer: &mut Writer<'_>) -> Result<(), EncodeError> {
                writer.bytes(&self.to_le_bytes())
            }
        }
    )*};
}
element!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128);

/// A PTP array: borrowed wire bytes (parsed) or a slice (to emit). Both
/// compare equal when their elements are equal.
#[derive(Clone, Copy)]
pub enum Array<'a, T: Element> {
    /// Elements as read from the wire (a whole number of elements).
    Wire(&'a [u8]),
    /// Elements to be written.
    Slice(&'a [T]),
}

impl<'a, T: Element> Array<'a, T> {
    /// An array over wire bytes; a trailing partial element is ignored.
    pub const fn from_wire(bytes: &'a [u8]) -> Self {
        Array::Wire(bytes)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Array::Wire(bytes) => bytes.len() / T::SIZE,
            Array::Slice(slice) => slice.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements, in order.
    pub fn iter(&self) -> ArrayIter<'a, T> {
        match *self {
            Array::Wire(bytes) => ArrayIter {
                wire: bytes,
                slice: [].iter(),
            },
            Array::Slice(slice) => ArrayIter {
                wire: &[],
                slice: slice.iter(),
            },
        }
    }

    /// Whether `value` is one of the elements.
    pub fn contains(&self, value: T) -> bool {
        self.iter().any(|element| element == value)
    }

    /// The element at `index`.
    pub fn get(&self, index: usize) -> Option<T> {
        self.iter().nth(index)
    }

    /// Bytes this array takes on the wire, count included.
    pub fn encoded_len(&self) -> usize {
        4 + self.len() * T::SIZE
    }

    /// Writes the count and elements.
    pub fn write(&self, writer: &mut Writer<'_>) -> Result<(), EncodeError> {
        writer.array(self.iter())
    }
}

/// Iterator over an [`Array`]'s elements.
#[derive(Clone, Debug)]
pub struct ArrayIter<'a, T> {
    /// Wire bytes not read yet; a trailing partial element is never read.
    /// (Split by hand rather than with `chunks_exact`, whose length is a
    /// division by a runtime chunk size: a panic path the optimiser keeps
    /// where the iterator is not inlined.)
    wire: &'a [u8],
    slice: core::slice::Iter<'a, T>,
}

impl<T: Element> Iterator for ArrayIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.wire.split_at_checked(T::SIZE) {
            Some((chunk, rest)) => {
                self.wire = rest;
                T::read(chunk)
            }
            None => self.slice.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // `T::SIZE` is a nonzero constant: no division by a runtime value.
        let len = self.wire.len() / T::SIZE + self.slice.len();
        (len, Some(len))
    }
}

impl<T: Element> ExactSizeIterator for ArrayIter<'_, T> {}

impl<'a, T: Element> IntoIterator for &Array<'a, T> {
    type Item = T;
    type IntoIter = ArrayIter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Element> PartialEq for Array<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<T: Element + Eq> Eq for Array<'_, T> {}

impl<T: Element> Default for Array<'_, T> {
    fn default() -> Self {
        Array::Slice(&[])
    }
}

impl<'a, T: Element> From<&'a [T]> for Array<'a, T> {
    fn from(slice: &'a [T]) -> Self {
        Array::Slice(slice)
    }
}

impl<T: Element> fmt::Debug for Array<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "defmt")]
impl<T: Element + defmt::Format> defmt::Format for Array<'_, T> {
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

#[cfg(test)]
mod test {
    use super::*;
    use crate::error::DecodeErrorKind;
    use crate::wire::Reader;

    static THREE: [u8; 10] = [3, 0, 0, 0, 0x01, 0x10, 0x02, 0x10, 0x03, 0x10];

    #[test]
    fn parse() {
        let mut reader = Reader::new(&THREE);
        let array: Array<'_, u16> = reader.array("ops").unwrap();
        assert!(reader.is_empty());
        assert_eq!(array.len(), 3);
        assert_eq!(
            array.iter().collect::<heapless::Vec<_, 4>>().as_slice(),
            [0x1001, 0x1002, 0x1003]
        );
        assert!(array.contains(0x1002));
        assert_eq!(array, Array::from(&[0x1001u16, 0x1002, 0x1003][..]));
    }

    #[test]
    fn emit() {
        let mut buffer = [0u8; 10];
        let mut writer = Writer::new(&mut buffer);
        Array::from(&[0x1001u16, 0x1002, 0x1003][..])
            .write(&mut writer)
            .unwrap();
        assert_eq!(buffer, THREE);
    }

    #[test]
    fn wire_iteration_counts_whole_elements_only() {
        // Two u32 elements and three bytes of a third: the partial one is
        // neither counted nor read, however far the iterator has gone.
        let bytes = [1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 9];
        let array: Array<'_, u32> = Array::from_wire(&bytes);
        let mut iter = array.iter();
        assert_eq!((array.len(), iter.len()), (2, 2));
        assert_eq!(iter.next(), Some(1));
        assert_eq!(iter.size_hint(), (1, Some(1)));
        assert_eq!(
            (iter.next(), iter.next(), iter.next()),
            (Some(2), None, None)
        );
        assert_eq!(iter.len(), 0);
    }

    #[test]
    fn count_larger_than_input_is_bad_length() {
        let lying = [0xFF, 0xFF, 0xFF, 0xFF, 1, 2];
        let err = Reader::new(&lying).array::<u16>("ops").unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::BadLength(u32::MAX));
        assert_eq!(err.offset, 0);
    }
}

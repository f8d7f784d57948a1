//! An example [`Storage`]: a fixed set of objects in flash, plus up to `N`
//! captured pictures that take no RAM beyond their name. A capture is a
//! 16×16 greyscale PGM whose pixels are computed from its sequence number
//! when it is read.

use crate::storage::{ObjectEntry, Storage, StorageError, StorageSummary, format};
use heapless::String;

/// An object stored in flash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlashObject {
    /// File name.
    pub name: &'static str,
    /// Object format code.
    pub format: u16,
    /// Capture date (`YYYYMMDDThhmmss`) or empty.
    pub capture_date: &'static str,
    /// The bytes.
    pub data: &'static [u8],
}

/// Handles of captures start here; flash objects are numbered from 1.
pub const FIRST_CAPTURE_HANDLE: u32 = 0x100;

/// The PGM header of a capture: 16×16 pixels, 8 bits.
const PGM_HEADER: &[u8] = b"P5\n16 16\n255\n";
/// Bytes of one capture.
pub const CAPTURE_SIZE: usize = PGM_HEADER.len() + 16 * 16;

/// One capture: its sequence number and its name `CAPTnnnn.PGM`, built
/// from ASCII characters so reading it back as `&str` needs no UTF-8
/// validation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Capture {
    sequence: u16,
    name: String<12>,
}

impl Capture {
    fn new(sequence: u16) -> Self {
        let mut name = String::new();
        let value = sequence % 10_000;
        // Constant divisors: no division routine, no division-by-zero path.
        let digits = [value / 1000, value / 100 % 10, value / 10 % 10, value % 10];
        // Twelve ASCII bytes fill the twelve of the string exactly.
        let _ = name.push_str("CAPT");
        for digit in digits {
            let _ = name.push(char::from(b'0' + digit as u8));
        }
        let _ = name.push_str(".PGM");
        Capture { sequence, name }
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn byte(&self, offset: usize) -> u8 {
        match PGM_HEADER.get(offset) {
            Some(byte) => *byte,
            None => {
                let pixel = offset - PGM_HEADER.len();
                let (x, y) = (pixel % 16, pixel / 16);
                ((x + y) as u8)
                    .wrapping_mul(8)
                    .wrapping_add(self.sequence as u8)
            }
        }
    }
}

/// Flash objects plus up to `N` captures. Deleting a flash object hides it.
#[derive(Clone, Debug)]
pub struct FlashStore<const N: usize> {
    objects: &'static [FlashObject],
    /// Bit `i` set: flash object `i` was deleted (the first 32 can be).
    hidden: u32,
    captures: [Option<Capture>; N],
    next_sequence: u16,
}

impl<const N: usize> FlashStore<N> {
    /// A store serving `objects` with room for `N` captures.
    pub const fn new(objects: &'static [FlashObject]) -> Self {
        FlashStore {
            objects,
            hidden: 0,
            captures: [const { None }; N],
            next_sequence: 1,
        }
    }

    fn flash_index(&self, handle: u32) -> Option<usize> {
        let index = usize::try_from(handle.checked_sub(1)?).ok()?;
        let visible = index >= 32 || self.hidden & (1 << index) == 0;
        (index < self.objects.len() && handle < FIRST_CAPTURE_HANDLE && visible).then_some(index)
    }

    fn capture_at(&self, handle: u32) -> Option<&Capture> {
        let slot = usize::try_from(handle.checked_sub(FIRST_CAPTURE_HANDLE)?).ok()?;
        self.captures.get(slot)?.as_ref()
    }

    fn used(&self) -> u64 {
        let flash: usize = self.objects.iter().map(|object| object.data.len()).sum();
        let captures = self.captures.iter().flatten().count() * CAPTURE_SIZE;
        (flash + captures) as u64
    }
}

impl<const N: usize> Storage for FlashStore<N> {
    fn summary(&self) -> StorageSummary<'_> {
        let free_images = self.captures.iter().filter(|slot| slot.is_none()).count();
        StorageSummary {
            description: "Internal flash",
            capacity: self.used() + (free_images * CAPTURE_SIZE) as u64,
            free_bytes: (free_images * CAPTURE_SIZE) as u64,
            free_images: free_images as u32,
            deletable: true,
        }
    }

    fn handle_at(&self, index: usize) -> Option<u32> {
        let flash =
            (1..=self.objects.len() as u32).filter(|&handle| self.flash_index(handle).is_some());
        let mut left = index;
        for handle in flash {
            match left.checked_sub(1) {
                Some(rest) => left = rest,
                None => return Some(handle),
            }
        }
        (FIRST_CAPTURE_HANDLE..)
            .zip(&self.captures)
            .filter_map(|(handle, slot)| slot.as_ref().map(|_| handle))
            .nth(left)
    }

    fn object(&self, handle: u32) -> Option<ObjectEntry<'_>> {
        if let Some(index) = self.flash_index(handle) {
            let object = self.objects.get(index)?;
            return Some(ObjectEntry {
                name: object.name,
                format: object.format,
                size: object.data.len() as u32,
                capture_date: object.capture_date,
            });
        }
        self.capture_at(handle).map(|capture| ObjectEntry {
            name: capture.name(),
            format: format::UNDEFINED,
            size: CAPTURE_SIZE as u32,
            capture_date: "",
        })
    }

    fn read(&self, handle: u32, offset: u64, buffer: &mut [u8]) -> Result<usize, StorageError> {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        if let Some(index) = self.flash_index(handle) {
            let data = self
                .objects
                .get(index)
                .map_or(&[][..], |object| object.data);
            let rest = data.get(offset..).unwrap_or(&[]);
            let count = rest.len().min(buffer.len());
            if let (Some(target), Some(source)) = (buffer.get_mut(..count), rest.get(..count)) {
                target.copy_from_slice(source);
            }
            return Ok(count);
        }
        let capture = self.capture_at(handle).ok_or(StorageError::InvalidHandle)?;
        let count = CAPTURE_SIZE.saturating_sub(offset).min(buffer.len());
        for (index, byte) in buffer.iter_mut().take(count).enumerate() {
            *byte = capture.byte(offset + index);
        }
        Ok(count)
    }

    fn capture(&mut self) -> Result<u32, StorageError> {
        let (slot, free) = self
            .captures
            .iter_mut()
            .enumerate()
            .find(|(_, slot)| slot.is_none())
            .ok_or(StorageError::Full)?;
        *free = Some(Capture::new(self.next_sequence));
        self.next_sequence = self.next_sequence.wrapping_add(1).max(1);
        Ok(FIRST_CAPTURE_HANDLE + slot as u32)
    }

    fn delete(&mut self, handle: u32) -> Result<(), StorageError> {
        if let Some(index) = self.flash_index(handle) {
            if index >= 32 {
                return Err(StorageError::WriteProtected);
            }
            self.hidden |= 1 << index;
            return Ok(());
        }
        let slot = usize::try_from(handle.wrapping_sub(FIRST_CAPTURE_HANDLE)).ok();
        match slot.and_then(|slot| self.captures.get_mut(slot)) {
            Some(capture @ Some(_)) if handle >= FIRST_CAPTURE_HANDLE => {
                *capture = None;
                Ok(())
            }
            _ => Err(StorageError::InvalidHandle),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    static OBJECTS: [FlashObject; 2] = [
        FlashObject {
            name: "README.TXT",
            format: format::TEXT,
            capture_date: "",
            data: b"hello from flash\n",
        },
        FlashObject {
            name: "DOT.PNG",
            format: format::PNG,
            capture_date: "20250101T000000",
            data: &[0x89, b'P', b'N', b'G'],
        },
    ];

    #[test]
    fn lists_reads_captures_and_deletes() {
        let mut store = FlashStore::<2>::new(&OBJECTS);
        assert_eq!(store.handle_at(0), Some(1));
        assert_eq!(store.handle_at(2), None);
        assert_eq!(store.object(1).unwrap().name, "README.TXT");
        let mut buffer = [0u8; 5];
        assert_eq!(store.read(1, 6, &mut buffer), Ok(5));
        assert_eq!(&buffer, b"from ");
        assert_eq!(store.read(1, 100, &mut buffer), Ok(0));

        let first = store.capture().unwrap();
        assert_eq!(first, FIRST_CAPTURE_HANDLE);
        assert_eq!(store.object(first).unwrap().name, "CAPT0001.PGM");
        assert_eq!(store.capture(), Ok(FIRST_CAPTURE_HANDLE + 1));
        assert_eq!(store.capture(), Err(StorageError::Full));
        assert_eq!(store.summary().free_images, 0);
        let mut picture = [0u8; CAPTURE_SIZE + 4];
        assert_eq!(store.read(first, 0, &mut picture), Ok(CAPTURE_SIZE));
        assert!(picture.starts_with(b"P5\n16 16\n255\n"));

        assert_eq!(store.delete(1), Ok(()));
        assert_eq!(store.object(1), None);
        assert_eq!(store.handle_at(0), Some(2));
        assert_eq!(store.delete(1), Err(StorageError::InvalidHandle));
        assert_eq!(store.delete(first), Ok(()));
        assert_eq!(store.delete(first), Err(StorageError::InvalidHandle));
        assert_eq!(store.delete(0), Err(StorageError::InvalidHandle));
        assert_eq!(store.capture(), Ok(first));
        assert_eq!(store.object(first).unwrap().name, "CAPT0003.PGM");
    }
}

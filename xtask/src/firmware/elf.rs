//! Just enough of 32-bit little-endian ELF to measure firmware and to
//! convert it: section sizes by kind, and the loadable segments.

use std::fmt;

const SHF_WRITE: u32 = 0x1;
const SHF_ALLOC: u32 = 0x2;
const SHT_NOBITS: u32 = 8;
const PT_LOAD: u32 = 1;

/// What an image costs on the chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Bytes in flash: every allocated section with contents (vector
    /// table, text, rodata, the initial values of data, boot2).
    pub flash: u64,
    /// Bytes of RAM taken before the stack: every writable allocated
    /// section (data, bss, uninit).
    pub static_ram: u64,
}

/// One loadable segment: bytes to put at a physical (load) address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The load address.
    pub address: u32,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// A problem with an ELF file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfError(String);

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a 32-bit little-endian ELF image: {}", self.0)
    }
}

/// A borrowed 32-bit little-endian ELF image.
pub struct Elf<'a> {
    bytes: &'a [u8],
}

impl<'a> Elf<'a> {
    /// Checks the identification bytes.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ElfError> {
        match bytes.get(..6) {
            Some([0x7F, b'E', b'L', b'F', 1, 1]) => Ok(Elf { bytes }),
            _ => Err(ElfError("bad magic, class or byte order".to_owned())),
        }
    }

    fn u16(&self, at: usize) -> Result<u16, ElfError> {
        self.bytes
            .get(at..at + 2)
            .and_then(|b| b.try_into().ok())
            .map(u16::from_le_bytes)
            .ok_or_else(|| ElfError(format!("truncated at byte {at}")))
    }

    fn u32(&self, at: usize) -> Result<u32, ElfError> {
        self.bytes
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| ElfError(format!("truncated at byte {at}")))
    }

    /// Flash and static RAM, summed over the section headers.
    pub fn sizes(&self) -> Result<Sizes, ElfError> {
        let offset = self.u32(0x20)? as usize;
        let entry = usize::from(self.u16(0x2E)?);
        let count = usize::from(self.u16(0x30)?);
        let mut sizes = Sizes::default();
        for index in 0..count {
            let header = offset + index * entry;
            let kind = self.u32(header + 4)?;
            let flags = self.u32(header + 8)?;
            let size = u64::from(self.u32(header + 20)?);
            if flags & SHF_ALLOC == 0 {
                continue;
            }
            if kind != SHT_NOBITS {
                sizes.flash += size;
            }
            if flags & SHF_WRITE != 0 {
                sizes.static_ram += size;
            }
        }
        Ok(sizes)
    }

    /// The loadable segments with file contents, at their load addresses.
    pub fn load_segments(&self) -> Result<Vec<Segment>, ElfError> {
        let offset = self.u32(0x1C)? as usize;
        let entry = usize::from(self.u16(0x2A)?);
        let count = usize::from(self.u16(0x2C)?);
        let mut segments = Vec::new();
        for index in 0..count {
            let header = offset + index * entry;
            let (kind, file_offset) = (self.u32(header)?, self.u32(header + 4)? as usize);
            let (address, file_size) = (self.u32(header + 12)?, self.u32(header + 16)? as usize);
            if kind != PT_LOAD || file_size == 0 {
                continue;
            }
            let data = self
                .bytes
                .get(file_offset..file_offset + file_size)
                .ok_or_else(|| ElfError(format!("segment {index} runs past the file")))?;
            segments.push(Segment {
                address,
                data: data.to_vec(),
            });
        }
        Ok(segments)
    }
}

#[cfg(test)]
pub mod test {
    use super::*;

    /// Appends `value` little-endian.
    fn put(out: &mut Vec<u8>, value: u32, width: usize) {
        out.extend_from_slice(&value.to_le_bytes()[..width]);
    }

    /// A minimal ELF: one PT_LOAD segment of `payload` at `address`, and
    /// sections .text (alloc, 100 bytes), .data (alloc+write, 8), .bss
    /// (alloc+write, nobits, 32) and .debug (not alloc, 50).
    pub fn sample(address: u32, payload: &[u8]) -> Vec<u8> {
        let mut elf = vec![0x7F, b'E', b'L', b'F', 1, 1, 1, 0];
        elf.resize(0x1C, 0);
        let phoff = 52u32;
        let shoff = phoff + 32;
        let data_offset = shoff + 5 * 40;
        put(&mut elf, phoff, 4); // e_phoff
        put(&mut elf, shoff, 4); // e_shoff
        put(&mut elf, 0, 4); // e_flags
        put(&mut elf, 52, 2); // e_ehsize
        put(&mut elf, 32, 2); // e_phentsize
        put(&mut elf, 1, 2); // e_phnum
        put(&mut elf, 40, 2); // e_shentsize
        put(&mut elf, 5, 2); // e_shnum
        put(&mut elf, 0, 2); // e_shstrndx
        assert_eq!(elf.len(), 52);
        for value in [
            1,
            data_offset,
            address,
            address,
            payload.len() as u32,
            0,
            5,
            4,
        ] {
            put(&mut elf, value, 4);
        }
        // (type, flags, size): null, .text, .data, .bss, .debug
        for (kind, flags, size) in [(0, 0, 0), (1, 6, 100), (1, 3, 8), (8, 3, 32), (1, 0, 50)] {
            for value in [0, kind, flags, 0, 0, size, 0, 0, 0, 0] {
                put(&mut elf, value, 4);
            }
        }
        elf.extend_from_slice(payload);
        elf
    }

    #[test]
    fn sizes_count_alloc_sections_only() {
        let bytes = sample(0x1000_0000, b"abc");
        let elf = Elf::parse(&bytes).unwrap();
        assert_eq!(
            elf.sizes().unwrap(),
            Sizes {
                flash: 108,
                static_ram: 40
            }
        );
    }

    #[test]
    fn load_segments_and_bad_input() {
        let bytes = sample(0x1000_0000, b"abc");
        let segments = Elf::parse(&bytes).unwrap().load_segments().unwrap();
        assert_eq!(
            segments,
            vec![Segment {
                address: 0x1000_0000,
                data: b"abc".to_vec()
            }]
        );
        assert!(Elf::parse(b"\x7fELF\x02\x01").is_err());
        assert!(Elf::parse(&bytes[..40]).unwrap().sizes().is_err());
    }
}

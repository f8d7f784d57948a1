//! UF2, the format the RP2040 boot ROM takes by drag-and-drop: 512-byte
//! blocks, each carrying 256 bytes of flash and its address.

use super::elf::Segment;

const MAGIC_START0: u32 = 0x0A32_4655;
const MAGIC_START1: u32 = 0x9E5D_5157;
const MAGIC_END: u32 = 0x0AB1_6F30;
/// The block carries a family id.
const FLAG_FAMILY_ID: u32 = 0x0000_2000;
/// Payload bytes per block.
const PAYLOAD: usize = 256;
/// The RP2040's family id.
pub const RP2040_FAMILY: u32 = 0xE48B_FF56;

/// The UF2 image of `segments` for `family`: each segment split into
/// 256-byte blocks, the last one padded with 0xFF (erased flash).
pub fn convert(segments: &[Segment], family: u32) -> Vec<u8> {
    let blocks: Vec<(u32, &[u8])> = segments
        .iter()
        .flat_map(|segment| {
            segment
                .data
                .chunks(PAYLOAD)
                .enumerate()
                .map(|(index, chunk)| (segment.address + (index * PAYLOAD) as u32, chunk))
        })
        .collect();
    let total = blocks.len() as u32;
    let mut out = Vec::with_capacity(blocks.len() * 512);
    for (number, (address, chunk)) in blocks.into_iter().enumerate() {
        let header = [
            MAGIC_START0,
            MAGIC_START1,
            FLAG_FAMILY_ID,
            address,
            PAYLOAD as u32,
            number as u32,
            total,
            family,
        ];
        for word in header {
            out.extend_from_slice(&word.to_le_bytes());
        }
        // 476 data bytes: the payload, erased flash (0xFF) up to 256, zeros.
        let padding = PAYLOAD.saturating_sub(chunk.len());
        out.extend_from_slice(chunk);
        out.extend(std::iter::repeat_n(0xFF, padding));
        out.extend(std::iter::repeat_n(0, 476 - PAYLOAD));
        out.extend_from_slice(&MAGIC_END.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;

    fn word(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn blocks_carry_address_number_and_family() {
        let segments = [
            Segment {
                address: 0x1000_0000,
                data: vec![0xAB; 300],
            },
            Segment {
                address: 0x1000_1000,
                data: vec![1, 2, 3],
            },
        ];
        let image = convert(&segments, RP2040_FAMILY);
        assert_eq!(image.len(), 3 * 512);
        let addresses: Vec<u32> = (0..3).map(|b| word(&image, b * 512 + 12)).collect();
        assert_eq!(addresses, [0x1000_0000, 0x1000_0100, 0x1000_1000]);
        for block in 0..3 {
            let at = block * 512;
            assert_eq!(word(&image, at), MAGIC_START0);
            assert_eq!(word(&image, at + 20), block as u32);
            assert_eq!(word(&image, at + 24), 3);
            assert_eq!(word(&image, at + 28), RP2040_FAMILY);
            assert_eq!(word(&image, at + 508), MAGIC_END);
        }
        // Second block: 44 bytes of data, then erased flash.
        assert_eq!(image[512 + 32 + 43], 0xAB);
        assert_eq!(image[512 + 32 + 44], 0xFF);
        assert_eq!(&image[1024 + 32..1024 + 36], &[1, 2, 3, 0xFF]);
    }
}

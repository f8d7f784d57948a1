//! Receive-buffer housekeeping shared by the engines' drivers (the async
//! client, the firmware device task): moving the bytes not yet consumed to
//! the front to make room for the next read.

/// Moves `buffer[start..end]` to the front of `buffer` and returns its
/// length, the new end of the unconsumed bytes. The copies go in blocks no
/// longer than the distance moved, so no block overlaps its target and
/// each is a plain `memcpy`: `memmove` (about 1.5 KiB on a Cortex-M) stays
/// out of firmware. Bounds out of order or past the end drop the bytes
/// (returns 0).
pub fn shift_to_front(buffer: &mut [u8], start: usize, end: usize) -> usize {
    if start > end || end > buffer.len() {
        return 0;
    }
    let len = end - start;
    let mut moved = 0;
    while moved < len {
        let Some((front, back)) = buffer.split_at_mut_checked(start + moved) else {
            return 0;
        };
        let step = (len - moved).min(start);
        match (front.get_mut(moved..moved + step), back.get(..step)) {
            (Some(target), Some(source)) if step > 0 => target.copy_from_slice(source),
            // `start == 0`: the bytes are at the front already.
            _ => return len,
        }
        moved += step;
    }
    len
}

#[cfg(test)]
mod test {
    use super::shift_to_front;

    #[test]
    fn shifts_overlapping_and_disjoint_ranges() {
        for (start, end) in [(0, 5), (3, 10), (2, 10), (9, 10), (10, 10), (4, 6), (3, 13)] {
            let mut buffer: [u8; 16] = core::array::from_fn(|i| i as u8);
            let len = shift_to_front(&mut buffer, start, end);
            assert_eq!(len, end - start);
            let expected: std::vec::Vec<u8> = (start as u8..end as u8).collect();
            assert_eq!(&buffer[..len], &expected[..], "{start}..{end}");
        }
    }

    #[test]
    fn bad_bounds_drop_the_bytes() {
        let mut buffer = [1u8, 2, 3, 4];
        assert_eq!(shift_to_front(&mut buffer, 2, 9), 0);
        assert_eq!(shift_to_front(&mut buffer, 3, 2), 0);
        assert_eq!(buffer, [1, 2, 3, 4]);
    }
}

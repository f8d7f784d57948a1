//! Splits a byte stream into reads of varying sizes, as a transport would
//! deliver it, from a seed taken from the fuzz input.

/// Read sizes from a seed: 1..=`max` bytes each, where `max` (1, 2, 7, 64 or
/// 512) is picked by the seed's low bits so that byte-by-byte, tiny and
/// large reads are all tried.
#[derive(Clone, Debug)]
pub struct Chunks {
    state: u64,
    max: usize,
}

impl Chunks {
    /// Read sizes for `seed`.
    pub fn new(seed: u64) -> Self {
        let max = [1, 2, 7, 64, 512][(seed % 5) as usize];
        Chunks {
            // xorshift must not start at zero.
            state: seed | 1,
            max,
        }
    }

    /// The next read size, at least 1.
    pub fn next_len(&mut self) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        1 + (self.state % self.max as u64) as usize
    }

    /// Splits `bytes` into consecutive reads.
    pub fn split<'a>(&mut self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let mut reads = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let (read, tail) = rest.split_at(self.next_len().min(rest.len()));
            reads.push(read);
            rest = tail;
        }
        reads
    }
}

//! The USB transfer rules, apart from libusb so they can be tested: how
//! the pieces of an outgoing container become bulk writes, and when a
//! bulk read ended its transfer.

/// Packs the pieces of one outgoing transfer (a header, payload chunks)
/// into bulk writes of at most `max_write` bytes, each a whole number of
/// packets but the last, followed by a zero-length packet when the
/// transfer's length is a multiple of the packet size.
#[derive(Debug)]
pub struct OutTransfer {
    staging: Vec<u8>,
    length: u64,
    max_write: usize,
    packet: u16,
}

impl OutTransfer {
    /// Writes of at most `max_write` bytes (a multiple of `packet`) for an
    /// endpoint of wMaxPacketSize `packet`.
    pub fn new(max_write: usize, packet: u16) -> Self {
        let packet = packet.max(1);
        let max_write = (max_write / usize::from(packet)).max(1) * usize::from(packet);
        OutTransfer {
            staging: Vec::with_capacity(max_write),
            length: 0,
            max_write,
            packet,
        }
    }

    /// Adds bytes to the transfer; full writes go to `send` at once.
    pub fn push<E>(
        &mut self,
        bytes: &[u8],
        mut send: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.length += bytes.len() as u64;
        let mut rest = bytes;
        while !rest.is_empty() {
            let take = (self.max_write - self.staging.len()).min(rest.len());
            let (now, later) = rest.split_at(take);
            self.staging.extend_from_slice(now);
            rest = later;
            if self.staging.len() == self.max_write {
                let sent = send(&self.staging);
                self.staging.clear();
                sent?;
            }
        }
        Ok(())
    }

    /// Ends the transfer: the staged bytes, then a zero-length packet when
    /// the length is a whole number of packets.
    pub fn finish<E>(&mut self, mut send: impl FnMut(&[u8]) -> Result<(), E>) -> Result<(), E> {
        let length = std::mem::take(&mut self.length);
        if !self.staging.is_empty() {
            let sent = send(&self.staging);
            self.staging.clear();
            sent?;
        }
        if length > 0 && length.is_multiple_of(u64::from(self.packet)) {
            send(&[])?;
        }
        Ok(())
    }

    /// Drops the transfer (after a cancel).
    pub fn clear(&mut self) {
        self.staging.clear();
        self.length = 0;
    }
}

/// Whether a bulk read of `len` bytes, of `asked`, ended its transfer: a
/// short packet (or a zero-length one) does, unless the read stopped at
/// its time limit after whole packets.
pub fn ends_transfer(len: usize, asked: usize, packet: u16, timed_out: bool) -> bool {
    let short = !len.is_multiple_of(usize::from(packet.max(1))) || !timed_out;
    len < asked && short
}

#[cfg(test)]
mod test {
    use super::*;

    /// The writes a transfer made of `pieces` turns into.
    fn writes(pieces: &[usize], max_write: usize, packet: u16) -> Vec<usize> {
        let mut transfer = OutTransfer::new(max_write, packet);
        let mut sent = Vec::new();
        for &len in pieces {
            transfer
                .push::<()>(&vec![7; len], |bytes| {
                    sent.push(bytes.len());
                    Ok(())
                })
                .unwrap();
        }
        transfer
            .finish::<()>(|bytes| {
                sent.push(bytes.len());
                Ok(())
            })
            .unwrap();
        sent
    }

    #[test]
    fn zero_length_packet_only_on_a_packet_boundary() {
        // A 12-byte header and 500 bytes: 512, one packet exactly.
        assert_eq!(writes(&[12, 500], 1024, 512), [512, 0]);
        assert_eq!(writes(&[12, 501], 1024, 512), [513]);
        assert_eq!(writes(&[12], 1024, 512), [12]);
        assert_eq!(writes(&[64], 1024, 64), [64, 0]);
        assert_eq!(writes(&[], 1024, 512), Vec::<usize>::new());
    }

    #[test]
    fn writes_are_bounded_and_whole_packets_until_the_last() {
        let sent = writes(&[12, 700_000, 700_000], 512 * 1024, 512);
        assert!(sent.iter().all(|&len| len <= 512 * 1024));
        assert_eq!(sent.iter().sum::<usize>(), 1_400_012);
        let (last, full) = sent.split_last().unwrap();
        assert!(full.iter().all(|&len| len == 512 * 1024), "{sent:?}");
        assert!(*last > 0);
        // A bound that is not a multiple of the packet is rounded down.
        let sent = writes(&[3000], 1000, 512);
        assert_eq!(sent, [512, 512, 512, 512, 512, 440]);
    }

    #[test]
    fn a_failed_write_drops_the_staged_bytes() {
        let mut transfer = OutTransfer::new(1024, 512);
        assert_eq!(transfer.push(&[0; 1024], |_| Err("stall")), Err("stall"));
        transfer.clear();
        let mut sent = Vec::new();
        transfer
            .finish::<()>(|bytes| {
                sent.push(bytes.len());
                Ok(())
            })
            .unwrap();
        assert!(sent.is_empty());
    }

    #[test]
    fn short_reads_end_transfers() {
        assert!(ends_transfer(100, 1 << 20, 512, false));
        assert!(
            ends_transfer(0, 1 << 20, 512, false),
            "a zero-length packet"
        );
        assert!(ends_transfer(1024, 1 << 20, 512, false), "ended by a ZLP");
        assert!(
            !ends_transfer(1024, 1 << 20, 512, true),
            "timed out mid-transfer"
        );
        assert!(ends_transfer(1000, 1 << 20, 512, true), "a short packet");
        assert!(!ends_transfer(1 << 20, 1 << 20, 512, false), "buffer full");
    }
}

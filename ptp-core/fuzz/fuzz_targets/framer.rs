//! The framer over both transports. The first byte picks the transport
//! (bit 0: USB or PTP/IP) and how the rest, the stream, is split into reads.
//! Checks (see `ptp_core_fuzz::framing::trace`): no call consumes more than
//! it was given, `Incomplete` asks for more than is there, every call makes
//! progress, payload is borrowed from the input, and the frames are the same
//! whether the stream arrives whole or in reads of any size. On USB a data
//! phase of known length carries exactly the bytes its header announced.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::framer::Transport;
use ptp_core_fuzz::chunks::Chunks;
use ptp_core_fuzz::framing::{Item, trace};

fuzz_target!(|data: &[u8]| {
    let Some((&control, stream)) = data.split_first() else {
        return;
    };
    let transport = if control & 1 == 0 {
        Transport::Usb
    } else {
        Transport::PtpIp
    };
    let whole = trace(transport, [stream]);
    let reads = Chunks::new(u64::from(control >> 1)).split(stream);
    let split = trace(transport, reads.iter().copied());
    assert_eq!(
        whole, split,
        "the frames depend on how the stream was split"
    );

    if transport == Transport::Usb {
        check_usb_data_lengths(&whole);
    }
});

/// A USB data phase of known length: `DataStart`, then exactly `total`
/// payload bytes, then `DataEnd` (as far as the trace goes).
fn check_usb_data_lengths(items: &[Item]) {
    for (index, item) in items.iter().enumerate() {
        let Item::DataStart {
            total: Some(total), ..
        } = item
        else {
            continue;
        };
        let rest = &items[index + 1..];
        match (rest.first(), rest.get(1)) {
            (Some(Item::Data(bytes)), Some(Item::DataEnd)) => {
                assert_eq!(bytes.len() as u64, *total)
            }
            (Some(Item::Data(bytes)), None) => assert!((bytes.len() as u64) < *total),
            (Some(Item::DataEnd), _) => assert_eq!(*total, 0),
            (None, _) => {}
            (other, next) => panic!("data phase of {total} bytes then {other:?}, {next:?}"),
        }
    }
}

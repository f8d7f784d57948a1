//! The USB event assembler (interrupt endpoint) fed a stream in reads of
//! any size (the first byte seeds the split). It must find exactly the
//! events that parsing the whole stream container by container finds, fail
//! where that fails, use no byte it does not need, hold at most one partial
//! event, and report an incomplete read as wholly used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::Status;
use ptp_core::container::{self, Container, ContainerType, Header};
use ptp_core::event::{Event, UsbEventAssembler};
use ptp_core_fuzz::chunks::Chunks;

/// How a container-by-container parse of the whole stream ends.
#[derive(Debug, PartialEq)]
enum End {
    /// It stopped inside a container: this many bytes of it arrived.
    Partial(usize),
    /// A container that is malformed or not an event.
    Refused,
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    let (expected, end) = reference(stream);

    let mut assembler = UsbEventAssembler::new();
    let mut events = Vec::new();
    let mut refused = false;
    'reads: for read in Chunks::new(u64::from(seed)).split(stream) {
        let mut rest = read;
        loop {
            match assembler.push(rest) {
                Ok((event, used)) => {
                    assert!(used <= rest.len());
                    assert!(assembler.pending() <= container::MAX_EVENT_LEN);
                    rest = &rest[used..];
                    match event {
                        Some(event) => events.push(event),
                        None => {
                            assert!(
                                rest.is_empty(),
                                "incomplete, yet {} bytes unused",
                                rest.len()
                            );
                            break;
                        }
                    }
                    if rest.is_empty() {
                        break;
                    }
                }
                Err(_) => {
                    refused = true;
                    assert_eq!(assembler.pending(), 0, "partial state kept after an error");
                    break 'reads;
                }
            }
        }
    }
    assert_eq!(events, expected);
    match end {
        End::Refused => assert!(refused, "the assembler accepted what parsing refuses"),
        End::Partial(held) => {
            assert!(!refused, "the assembler refused a valid stream");
            assert_eq!(assembler.pending(), held);
        }
    }
});

/// The events in `stream`, parsed container by container, and how it ends.
fn reference(mut stream: &[u8]) -> (Vec<Event>, End) {
    let mut events = Vec::new();
    loop {
        match Header::parse(stream) {
            Ok(Status::Incomplete { .. }) => return (events, End::Partial(stream.len())),
            Err(_) => return (events, End::Refused),
            Ok(Status::Complete(header)) if header.kind != ContainerType::Event => {
                return (events, End::Refused);
            }
            Ok(Status::Complete(_)) => {}
        }
        match Container::parse(stream) {
            Ok(Status::Complete((Container::Event(message), used))) => {
                events.push(Event {
                    code: message.code,
                    transaction_id: message.transaction_id,
                    params: message.to_owned_params(),
                });
                stream = &stream[used..];
            }
            Ok(Status::Incomplete { .. }) => return (events, End::Partial(stream.len())),
            other => panic!("an event header, then {other:?}"),
        }
    }
}

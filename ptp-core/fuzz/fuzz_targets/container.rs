//! USB containers: `Header::parse` and `Container::parse` agree on every
//! input, and a parsed container re-emits byte for byte what it was parsed
//! from (headers and parameters are carried verbatim).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::Status;
use ptp_core::container::{Container, ContainerType, HEADER_LEN, Header};

fuzz_target!(|data: &[u8]| {
    let header = Header::parse(data);
    let container = Container::parse(data);
    let header = match header {
        Ok(Status::Incomplete { needed }) => {
            assert!(data.len() < HEADER_LEN && needed == HEADER_LEN);
            assert_eq!(container, Ok(Status::Incomplete { needed }));
            return;
        }
        Err(error) => {
            assert_eq!(container, Err(error));
            return;
        }
        Ok(Status::Complete(header)) => header,
    };
    let mut head = [0u8; HEADER_LEN];
    assert_eq!(header.emit(&mut head), Ok(HEADER_LEN));
    assert_eq!(head, data[..HEADER_LEN], "header does not re-emit as read");
    let _ = format!("{header:?} {container:?}");

    let Some(len) = header.container_len() else {
        // Over 4 GiB: only a data container, only streamed.
        assert_eq!(header.kind, ContainerType::Data);
        assert!(container.is_err());
        return;
    };
    match container {
        Ok(Status::Incomplete { needed }) => assert!(needed == len && len > data.len()),
        Ok(Status::Complete((container, used))) => {
            assert_eq!(used, len);
            assert_eq!(container.buffer_len(), used);
            let kind = match container {
                Container::Command(_) => ContainerType::Command,
                Container::Data { .. } => ContainerType::Data,
                Container::Response(_) => ContainerType::Response,
                Container::Event(_) => ContainerType::Event,
            };
            assert_eq!(kind, header.kind);
            let mut out = vec![0u8; used];
            assert_eq!(container.emit(&mut out), Ok(used));
            assert_eq!(out, data[..used], "container does not re-emit as read");
            assert_eq!(
                Container::parse(&out),
                Ok(Status::Complete((container, used)))
            );
        }
        Err(error) => panic!("header {header:?} parsed but the container failed: {error}"),
    }
});

//! The client against ptp-core's responder engine, in memory, over both
//! framings. `Device` is a test double of a responder's handler (one
//! store, a few objects, uploads kept); `MemoryChannel` joins the client
//! to the real responder engine the way a USB pipe or a TCP socket would.
// These tests run the client over both transports.
#![cfg(feature = "ptpip")]

use super::*;
use crate::Status;
use crate::codes::DataDirection;
use crate::dataset::{DeviceInfo, Form, ObjectInfo};
use crate::event::Event;
use crate::framer::Transport;
use crate::initiator::InitiatorError;
use crate::message::{Message, OwnedParams};
use crate::ptpip::Packet;
use crate::responder::{self, Handler, Reply, Request, Responder};
use crate::wire::{Array, DataType, PtpString, Value, Writer};
use core::cell::Cell;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use std::collections::VecDeque;
use std::vec::Vec;

/// Runs a future that never waits on anything outside memory.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A clock that advances 1 ms each time it is read.
#[derive(Default)]
struct TickClock(Cell<u64>);

impl Clock for TickClock {
    fn now_ms(&self) -> u64 {
        let now = self.0.get() + 1;
        self.0.set(now);
        now
    }
}

const OBJECT: u32 = 7;

/// Test double of a device's handler.
struct Device {
    object: Vec<u8>,
    uploaded: Vec<u8>,
    upload_info: Vec<u8>,
    prop_value: u16,
    device_info: Vec<u8>,
    partial: (u64, u64),
    references: Vec<u8>,
}

impl Device {
    fn new(object_size: usize) -> Self {
        let info = DeviceInfo {
            standard_version: 110,
            vendor_extension_id: 6,
            vendor_extension_version: 100,
            vendor_extension_desc: PtpString::Str("microsoft.com: 1.0;"),
            operations_supported: Array::Slice(&[0x1001, 0x1002, 0x1003, 0x1009, 0x101B]),
            events_supported: Array::Slice(&[0x4002]),
            device_properties_supported: Array::Slice(&[0x5001]),
            manufacturer: PtpString::Str("Canon Inc."),
            model: PtpString::Str("Memory Camera"),
            device_version: PtpString::Str("1.0"),
            serial_number: PtpString::Str("0001"),
            ..DeviceInfo::default()
        };
        let mut device_info = std::vec![0u8; info.buffer_len()];
        info.emit(&mut device_info).unwrap();
        Device {
            object: (0..object_size).map(|i| (i * 13 % 251) as u8).collect(),
            uploaded: Vec::new(),
            upload_info: Vec::new(),
            prop_value: 50,
            device_info,
            partial: (0, 0),
            references: std::vec![0, 0, 0, 0],
        }
    }

    fn prop_desc(&self) -> Vec<u8> {
        let desc = crate::dataset::DevicePropDesc {
            property_code: 0x5001,
            data_type: DataType::UInt16,
            get_set: 1,
            factory_default: Value::UInt16(100),
            current: Value::UInt16(self.prop_value),
            form: Form::Range {
                min: Value::UInt16(0),
                max: Value::UInt16(100),
                step: Value::UInt16(1),
            },
        };
        let mut bytes = std::vec![0u8; desc.buffer_len()];
        desc.emit(&mut bytes).unwrap();
        bytes
    }

    fn data(&self, request: &Request) -> Vec<u8> {
        match request.code {
            0x1001 => self.device_info.clone(),
            0x1009 => self.object.clone(),
            0x101B | 0x95C1 => {
                let (start, end) = self.partial;
                self.object[start as usize..end as usize].to_vec()
            }
            0x1014 => self.prop_desc(),
            0x1015 => self.prop_value.to_le_bytes().to_vec(),
            0x1004 => std::vec![1, 0, 0, 0, 1, 0, 1, 0],
            0x9801 => std::vec![2, 0, 0, 0, 0x01, 0xDC, 0x04, 0xDC],
            0x9805 => {
                let element = crate::dataset::ObjectPropElement {
                    object_handle: OBJECT,
                    property_code: 0xDC04,
                    value: Value::UInt64(self.object.len() as u64),
                };
                let elements = [element];
                let list = crate::dataset::ObjectPropList::from(&elements[..]);
                let mut bytes = std::vec![0u8; list.buffer_len()];
                list.emit(&mut bytes).unwrap();
                bytes
            }
            0x9810 => self.references.clone(),
            _ => Vec::new(),
        }
    }
}

impl Handler for Device {
    fn request(&mut self, request: &Request) -> Reply {
        let respond = |code| Reply::Respond(responder::Response::code(code));
        match request.code {
            0x1009 if request.params.get(0) == OBJECT => Reply::DataIn {
                total: self.object.len() as u64,
            },
            0x1009 | 0x101B | 0x95C1 if request.params.get(0) != OBJECT => respond(0x2009),
            0x101B | 0x95C1 => {
                let (offset, max) = match request.code {
                    0x101B => (u64::from(request.params.get(1)), request.params.get(2)),
                    _ => (
                        u64::from(request.params.get(1)) | u64::from(request.params.get(2)) << 32,
                        request.params.get(3),
                    ),
                };
                let offset = offset.min(self.object.len() as u64);
                let end = (offset + u64::from(max)).min(self.object.len() as u64);
                self.partial = (offset, end);
                Reply::DataIn {
                    total: end - offset,
                }
            }
            0x1001 | 0x1014 | 0x1015 | 0x9801 | 0x9805 | 0x9810 => Reply::DataIn {
                total: self.data(request).len() as u64,
            },
            0x100C | 0x100D | 0x1016 | 0x9811 => Reply::DataOut,
            0x1004 => Reply::DataIn { total: 8 },
            _ => respond(responder::response::OPERATION_NOT_SUPPORTED),
        }
    }

    fn read_data(
        &mut self,
        request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        let data = self.data(request);
        let rest = &data[offset as usize..];
        let count = rest.len().min(buffer.len());
        buffer[..count].copy_from_slice(&rest[..count]);
        Ok(count)
    }

    fn write_data(&mut self, request: &Request, _offset: u64, chunk: &[u8]) -> Result<(), u16> {
        match request.code {
            0x100C => self.upload_info.extend_from_slice(chunk),
            0x100D => self.uploaded.extend_from_slice(chunk),
            0x9811 => self.references = chunk.to_vec(),
            _ => {
                let mut bytes = [0u8; 2];
                bytes.copy_from_slice(&chunk[..2]);
                self.prop_value = u16::from_le_bytes(bytes);
            }
        }
        Ok(())
    }

    fn data_in_done(&mut self, request: &Request) -> responder::Response {
        match request.code {
            0x101B | 0x95C1 => responder::Response {
                code: responder::response::OK,
                params: OwnedParams::from_slice(&[(self.partial.1 - self.partial.0) as u32])
                    .unwrap(),
            },
            _ => responder::Response::OK,
        }
    }

    fn data_out_done(&mut self, request: &Request) -> responder::Response {
        match request.code {
            0x100C => responder::Response {
                code: responder::response::OK,
                params: OwnedParams::from_slice(&[0x0001_0001, 0xFFFF_FFFF, 42]).unwrap(),
            },
            _ => responder::Response::OK,
        }
    }
}

/// The client's channel to a responder engine in memory. USB transfers
/// keep their boundaries; PTP/IP reads return at most `read_limit` bytes.
struct MemoryChannel {
    transport: Transport,
    responder: Responder,
    device: Device,
    to_responder: Vec<u8>,
    /// Finished transfers (USB) or one stream (PTP/IP) towards the client.
    to_client: VecDeque<Vec<u8>>,
    read_limit: usize,
    transmit_size: usize,
    cancels: usize,
    /// Reads answered with nothing (a silent device).
    silent: bool,
}

impl MemoryChannel {
    fn new(transport: Transport, object_size: usize) -> Self {
        MemoryChannel {
            transport,
            responder: Responder::new(transport),
            device: Device::new(object_size),
            to_responder: Vec::new(),
            to_client: VecDeque::new(),
            read_limit: 1000,
            transmit_size: 333,
            cancels: 0,
            silent: false,
        }
    }

    fn run_responder(&mut self) {
        while let Status::Complete(used) = self
            .responder
            .receive(&self.to_responder, &mut self.device)
            .unwrap()
        {
            self.to_responder.drain(..used);
            if self.to_responder.is_empty() {
                break;
            }
        }
        let mut out = std::vec![0u8; self.transmit_size];
        let mut transfer = Vec::new();
        while let Some(transmit) = self
            .responder
            .poll_transmit(&mut out, &mut self.device)
            .unwrap()
        {
            transfer.extend_from_slice(&out[..transmit.len]);
            if transmit.end_of_transfer || self.transport == Transport::PtpIp {
                self.to_client.push_back(core::mem::take(&mut transfer));
            }
        }
    }
}

impl Channel for MemoryChannel {
    type Error = &'static str;

    fn transport(&self) -> Transport {
        self.transport
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.to_responder.extend_from_slice(bytes);
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), Self::Error> {
        self.run_responder();
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error> {
        if self.silent {
            return Ok(Chunk::IDLE);
        }
        if self.to_client.is_empty() {
            self.run_responder();
        }
        let Some(front) = self.to_client.front_mut() else {
            return Ok(Chunk::IDLE);
        };
        let limit = match self.transport {
            Transport::Usb => buffer.len(),
            Transport::PtpIp => buffer.len().min(self.read_limit),
        };
        let len = front.len().min(limit);
        buffer[..len].copy_from_slice(&front[..len]);
        front.drain(..len);
        let end_of_transfer = front.is_empty() && self.transport == Transport::Usb;
        if front.is_empty() {
            self.to_client.pop_front();
        }
        Ok(Chunk {
            len,
            end_of_transfer,
        })
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), Self::Error> {
        self.cancels += 1;
        match self.transport {
            Transport::Usb => {
                let cancel = crate::dataset::CancelRequest::parse(request).unwrap();
                self.responder
                    .cancel(cancel.transaction_id, &mut self.device);
                self.to_client.clear();
                self.to_responder.clear();
            }
            Transport::PtpIp => {
                self.to_responder.extend_from_slice(request);
                self.run_responder();
            }
        }
        Ok(())
    }
}

type MemoryClient = Client<MemoryChannel, TickClock, Vec<u8>>;

fn client(transport: Transport, object_size: usize, buffer: usize) -> MemoryClient {
    Client::new(
        MemoryChannel::new(transport, object_size),
        TickClock::default(),
        std::vec![0u8; buffer],
    )
}

const BOTH: [Transport; 2] = [Transport::Usb, Transport::PtpIp];

/// A sink that collects into a Vec, optionally failing after `limit` bytes.
#[derive(Default)]
struct VecSink {
    data: Vec<u8>,
    total: Option<u64>,
    limit: Option<usize>,
}

impl DataSink for VecSink {
    fn start(&mut self, total: Option<u64>) -> Result<(), DataError> {
        self.total = total;
        Ok(())
    }

    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        if self
            .limit
            .is_some_and(|limit| self.data.len() + chunk.len() > limit)
        {
            return Err(DataError::Failed);
        }
        self.data.extend_from_slice(chunk);
        Ok(())
    }
}

#[test]
fn device_info_outside_a_session() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        let mut out = [0u8; 512];
        let info = block_on(client.get_device_info(&mut out)).unwrap();
        assert!(info.model.eq_str("Memory Camera"), "{transport:?}");
        assert!(info.supports_operation(0x101B));
        assert_eq!(info.code_set().vendor, crate::codes::Vendor::Canon);
        assert_eq!(client.session_id(), None);
        assert_eq!(client.next_transaction_id(), 0);
    }
}

#[test]
fn scan_device_info_streams_without_a_dataset_buffer() {
    for transport in BOTH {
        let mut client = client(transport, 10, 64);
        let summary = block_on(client.scan_device_info([0x101B, 0x9999])).unwrap();
        assert_eq!(summary.model(), "Memory Camera", "{transport:?}");
        assert_eq!(summary.manufacturer(), "Canon Inc.");
        assert_eq!(summary.vendor_extension_desc(), "microsoft.com: 1.0;");
        assert_eq!(summary.supports(0x101B), Some(true));
        assert_eq!(summary.supports(0x9999), Some(false));
        assert_eq!(summary.code_set().vendor, crate::codes::Vendor::Canon);
        assert_eq!(client.session_id(), None);
    }
}

#[test]
fn session_numbers_transactions() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        block_on(client.open_session(3)).unwrap();
        assert_eq!(client.session_id(), Some(3));
        assert_eq!(client.next_transaction_id(), 1);
        let mut out = [0u8; 64];
        let ids = block_on(client.get_storage_ids(&mut out)).unwrap();
        assert_eq!(ids.iter().collect::<Vec<_>>(), [0x0001_0001]);
        assert_eq!(client.next_transaction_id(), 2);
        let error = block_on(client.open_session(4)).unwrap_err();
        assert_eq!(
            error.response_code(),
            Some(responder::response::SESSION_ALREADY_OPEN)
        );
        block_on(client.close_session()).unwrap();
        assert_eq!(client.session_id(), None);
    }
}

#[test]
fn object_streams_through_a_small_buffer() {
    for transport in BOTH {
        let mut client = client(transport, 100_003, 512);
        block_on(client.open_session(1)).unwrap();
        let mut sink = VecSink::default();
        block_on(client.get_object(OBJECT, &mut sink)).unwrap();
        assert_eq!(sink.total, Some(100_003));
        assert_eq!(sink.data, client.channel().device.object, "{transport:?}");
    }
}

#[test]
fn refusal_is_a_response_error() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        let error = block_on(client.get_object(OBJECT, Discard::default())).unwrap_err();
        assert_eq!(
            error.response_code(),
            Some(responder::response::SESSION_NOT_OPEN)
        );
        block_on(client.open_session(1)).unwrap();
        let error = block_on(client.get_object(99, Discard::default())).unwrap_err();
        assert_eq!(
            error,
            ClientError::Response {
                operation: 0x1009,
                code: 0x2009
            }
        );
    }
}

#[test]
fn partial_object_reads_a_range() {
    for transport in BOTH {
        let mut client = client(transport, 5000, 512);
        block_on(client.open_session(1)).unwrap();
        let mut sink = VecSink::default();
        let sent = block_on(client.get_partial_object(OBJECT, 1000, 1500, &mut sink)).unwrap();
        assert_eq!(sink.data, client.channel().device.object[1000..2500]);
        assert_eq!(sent, 1500);
    }
}

#[test]
fn partial_object_64_splits_the_offset() {
    let mut client = client(Transport::Usb, 5000, 512);
    block_on(client.open_session(1)).unwrap();
    let mut sink = VecSink::default();
    let sent = block_on(client.get_partial_object_64(OBJECT, 4000, 600, &mut sink)).unwrap();
    assert_eq!((sent, sink.data.len()), (600, 600));
    assert_eq!(sink.data, client.channel().device.object[4000..4600]);
    // An offset past 4 GiB reaches the device as low and high words.
    let mut sink = VecSink::default();
    let sent = block_on(client.get_partial_object_64(OBJECT, 1 << 32, 10, &mut sink)).unwrap();
    assert_eq!(
        (sent, sink.data.len()),
        (0, 0),
        "past the end of a 5000-byte object"
    );
}

#[test]
fn mtp_object_properties() {
    for transport in BOTH {
        let mut client = client(transport, 1234, 512);
        block_on(client.open_session(1)).unwrap();
        let mut out = [0u8; 128];
        let codes = block_on(client.get_object_props_supported(0x3801, &mut out)).unwrap();
        assert_eq!(codes.iter().collect::<Vec<_>>(), [0xDC01, 0xDC04]);
        let list =
            block_on(client.get_object_prop_list(OBJECT, 0, 0xDC04, 0, 0, &mut out)).unwrap();
        assert_eq!(list.get(OBJECT, 0xDC04), Some(Value::UInt64(1234)));
        block_on(client.set_object_references(OBJECT, &[3, 4])).unwrap();
        let references = block_on(client.get_object_references(OBJECT, &mut out)).unwrap();
        assert_eq!(
            references.iter().collect::<Vec<_>>(),
            [3, 4],
            "{transport:?}"
        );
    }
}

#[test]
fn upload_streams_object_info_and_data() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        block_on(client.open_session(1)).unwrap();
        let info = ObjectInfo {
            object_format: 0x3801,
            object_compressed_size: 20_000,
            filename: PtpString::Str("UPLOAD.JPG"),
            ..ObjectInfo::default()
        };
        let new = block_on(client.send_object_info(0, 0, &info)).unwrap();
        assert_eq!(
            (new.storage_id, new.parent, new.handle),
            (0x0001_0001, 0xFFFF_FFFF, 42)
        );
        let parsed = ObjectInfo::parse(&client.channel().device.upload_info).unwrap();
        assert!(parsed.filename.eq_str("UPLOAD.JPG"));
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 256) as u8).collect();
        block_on(client.send_object(SliceSource::new(&data))).unwrap();
        assert_eq!(client.channel().device.uploaded, data, "{transport:?}");
    }
}

#[test]
fn property_value_round_trip_and_description() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        block_on(client.open_session(1)).unwrap();
        let mut out = [0u8; 128];
        let desc = block_on(client.get_device_prop_desc(0x5001, &mut out)).unwrap();
        assert_eq!(desc.data_type, DataType::UInt16);
        assert!(matches!(desc.form, Form::Range { .. }));
        block_on(client.set_device_prop_value(0x5001, &Value::UInt16(77))).unwrap();
        let value =
            block_on(client.get_device_prop_value_as(0x5001, DataType::UInt16, &mut out)).unwrap();
        assert_eq!(value, Value::UInt16(77));
    }
}

#[test]
fn failing_sink_cancels_and_the_next_transaction_works() {
    for transport in BOTH {
        let mut client = client(transport, 50_000, 512);
        block_on(client.open_session(1)).unwrap();
        let mut sink = VecSink {
            limit: Some(3000),
            ..VecSink::default()
        };
        let error = block_on(client.get_object(OBJECT, &mut sink)).unwrap_err();
        assert_eq!(error, ClientError::Sink(DataError::Failed));
        assert_eq!(client.channel().cancels, 1);
        assert!(client.initiator().is_idle());
        // The same client carries on.
        let mut sink = VecSink::default();
        block_on(client.get_object(OBJECT, &mut sink)).unwrap();
        assert_eq!(sink.data.len(), 50_000, "{transport:?}");
    }
}

#[test]
fn bounded_sink_refuses_an_oversized_dataset() {
    let mut client = client(Transport::PtpIp, 10, 512);
    let mut out = [0u8; 16];
    let error = block_on(client.get_device_info(&mut out)).unwrap_err();
    assert_eq!(error, ClientError::Sink(DataError::Full { capacity: 16 }));
    let mut out = [0u8; 512];
    assert!(block_on(client.get_device_info(&mut out)).is_ok());
}

#[test]
fn silent_device_times_out() {
    for transport in BOTH {
        let mut client = client(transport, 10, 512);
        client.set_timeout_ms(50);
        client.channel_mut().silent = true;
        let error = block_on(client.execute(0x1002, &[1])).unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(matches!(
            error,
            ClientError::Protocol(InitiatorError::Timeout { transaction_id: 0 })
        ));
        assert!(client.initiator().is_idle());
    }
}

#[test]
fn raw_transaction_returns_any_response() {
    let mut client = client(Transport::Usb, 10, 512);
    let response = block_on(client.transaction(
        0x9999,
        &[1, 2, 3],
        DataDirection::In,
        NoData,
        Discard::default(),
    ))
    .unwrap();
    assert_eq!(response.code, responder::response::SESSION_NOT_OPEN);
    assert!(!response.is_ok());
}

/// A channel that replays scripted USB transfers.
struct Script {
    reads: VecDeque<(Vec<u8>, bool)>,
    written: Vec<u8>,
}

impl Channel for Script {
    type Error = &'static str;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.written.extend_from_slice(bytes);
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error> {
        let Some((bytes, end_of_transfer)) = self.reads.pop_front() else {
            return Err("script ended");
        };
        buffer[..bytes.len()].copy_from_slice(&bytes);
        Ok(Chunk {
            len: bytes.len(),
            end_of_transfer,
        })
    }

    async fn cancel(&mut self, _request: &[u8]) -> Result<(), Self::Error> {
        Err("no cancel in a script")
    }
}

#[test]
fn usb_data_of_unknown_length_ends_at_the_short_packet() {
    // A data container announcing 0xFFFFFFFF (over 4 GiB), its payload in
    // two bulk reads, the second one short; then the response.
    let mut first = std::vec![0u8; 12];
    crate::container::Header::data(0x1009, 0, 5 << 30)
        .emit(&mut first)
        .unwrap();
    first.extend_from_slice(&[0xAB; 500]);
    let second = std::vec![0xCD; 100];
    let mut response = [0u8; 32];
    let len = crate::container::Container::Response(Message::new(0x2001, 0, &[]))
        .emit(&mut response)
        .unwrap();
    let script = Script {
        reads: VecDeque::from([
            (first, false),
            (second, true),
            (response[..len].to_vec(), true),
        ]),
        written: Vec::new(),
    };
    let mut client = Client::new(script, TickClock::default(), std::vec![0u8; 1024]);
    let mut sink = VecSink::default();
    block_on(client.get_object(OBJECT, &mut sink)).unwrap();
    assert_eq!(sink.total, None);
    assert_eq!(sink.data.len(), 600);
    assert_eq!(&sink.data[498..502], &[0xAB, 0xAB, 0xCD, 0xCD]);
}

#[test]
fn response_larger_than_the_buffer_is_an_error() {
    // A PTP/IP packet announcing 4000 bytes cannot be framed in 512.
    let mut client = client(Transport::PtpIp, 10, 512);
    let mut packet = std::vec![0u8; 8];
    packet[..4].copy_from_slice(&4000u32.to_le_bytes());
    packet[4..].copy_from_slice(&7u32.to_le_bytes());
    client.channel_mut().to_client.push_back(packet);
    let error = block_on(client.execute(0x1002, &[1])).unwrap_err();
    assert_eq!(
        error,
        ClientError::BufferTooSmall {
            needed: 4000,
            available: 512
        }
    );
}

/// Event bytes, delivered in reads of `step` bytes; records writes.
struct EventScript {
    transport: Transport,
    bytes: Vec<u8>,
    step: usize,
    written: Vec<u8>,
}

impl Channel for EventScript {
    type Error = &'static str;

    fn transport(&self) -> Transport {
        self.transport
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.written.extend_from_slice(bytes);
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error> {
        let len = self.bytes.len().min(self.step).min(buffer.len());
        buffer[..len].copy_from_slice(&self.bytes[..len]);
        self.bytes.drain(..len);
        Ok(Chunk::bytes(len))
    }

    async fn cancel(&mut self, _request: &[u8]) -> Result<(), Self::Error> {
        Ok(())
    }
}

fn event(code: u16, params: &[u32]) -> Event {
    Event {
        code,
        transaction_id: 0xFFFF_FFFF,
        params: OwnedParams::from_slice(params).unwrap(),
    }
}

#[test]
fn usb_events_are_reassembled_from_split_reads() {
    let mut bytes = std::vec![0u8; 64];
    let mut len = 0;
    for (code, params) in [(0x4002u16, &[0x42u32][..]), (0x400D, &[][..])] {
        len += crate::container::Container::Event(Message::new(code, 0xFFFF_FFFF, params))
            .emit(&mut bytes[len..])
            .unwrap();
    }
    bytes.truncate(len);
    for step in [1, 5, 16, 64] {
        let channel = EventScript {
            transport: Transport::Usb,
            bytes: bytes.clone(),
            step,
            written: Vec::new(),
        };
        let mut reader = EventReader::new(channel, TickClock::default());
        assert_eq!(
            block_on(reader.next(1000)).unwrap(),
            Some(event(0x4002, &[0x42]))
        );
        assert_eq!(
            block_on(reader.next(1000)).unwrap(),
            Some(event(0x400D, &[]))
        );
        assert_eq!(
            block_on(reader.next(20)).unwrap(),
            None,
            "timeout with nothing left"
        );
    }
}

#[test]
fn ptpip_events_answer_probes() {
    let mut bytes = std::vec![0u8; 64];
    let mut len = Packet::ProbeRequest.emit(&mut bytes).unwrap();
    len += Packet::Event(Message::new(0x4002, 0xFFFF_FFFF, &[9]))
        .emit(&mut bytes[len..])
        .unwrap();
    bytes.truncate(len);
    let channel = EventScript {
        transport: Transport::PtpIp,
        bytes,
        step: 3,
        written: Vec::new(),
    };
    let mut reader = EventReader::new(channel, TickClock::default());
    assert_eq!(
        block_on(reader.next(1000)).unwrap(),
        Some(event(0x4002, &[9]))
    );
    let mut probe = [0u8; 8];
    Packet::ProbeResponse.emit(&mut probe).unwrap();
    assert_eq!(reader.channel_mut().written, probe);
}

/// Both ends of an in-memory byte stream for the handshake.
struct Duplex {
    incoming: Vec<u8>,
    outgoing: Vec<u8>,
}

impl embedded_io_async::ErrorType for Duplex {
    type Error = core::convert::Infallible;
}

impl embedded_io_async::Read for Duplex {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let len = self.incoming.len().min(buf.len());
        buf[..len].copy_from_slice(&self.incoming[..len]);
        self.incoming.drain(..len);
        Ok(len)
    }
}

impl embedded_io_async::Write for Duplex {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.outgoing.extend_from_slice(buf);
        Ok(buf.len())
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

#[test]
fn ptpip_handshake() {
    let mut ack = [0u8; 128];
    let len = Packet::InitCommandAck {
        connection_number: 5,
        guid: [7; 16],
        name: PtpString::Str("virtual"),
        version: crate::ptpip::VERSION,
    }
    .emit(&mut ack)
    .unwrap();
    // An event follows the ack: the handshake must not read into it.
    let mut incoming = ack[..len].to_vec();
    incoming.extend_from_slice(&[0xEE; 4]);
    let mut stream = Duplex {
        incoming,
        outgoing: Vec::new(),
    };
    let mut buffer = [0u8; ptpip_init::MAX_INIT_PACKET_LEN];
    let answer = block_on(ptpip_init::init_command(
        &mut stream,
        [1; 16],
        "ptpctl",
        &mut buffer,
    ))
    .unwrap();
    assert_eq!(answer.connection_number, 5);
    assert!(answer.name.eq_str("virtual"));
    assert_eq!(stream.incoming, [0xEE; 4]);
    let Status::Complete((Packet::InitCommandRequest { guid, name, .. }, _)) =
        Packet::parse(&stream.outgoing).unwrap()
    else {
        panic!("not an Init Command Request");
    };
    assert_eq!(guid, [1; 16]);
    assert!(name.eq_str("ptpctl"));

    let mut fail = [0u8; 16];
    let len = Packet::InitFail {
        reason: crate::ptpip::FailReason::Busy,
    }
    .emit(&mut fail)
    .unwrap();
    let mut stream = Duplex {
        incoming: fail[..len].to_vec(),
        outgoing: Vec::new(),
    };
    let error = block_on(ptpip_init::init_event(&mut stream, 5)).unwrap_err();
    assert_eq!(
        error,
        ptpip_init::InitError::Refused(crate::ptpip::FailReason::Busy)
    );
    let mut stream = Duplex {
        incoming: Vec::new(),
        outgoing: Vec::new(),
    };
    let error = block_on(ptpip_init::init_event(&mut stream, 5)).unwrap_err();
    assert_eq!(error, ptpip_init::InitError::Closed);
}

#[test]
fn emit_source_needs_room_in_the_buffer() {
    let mut source = EmitSource::new(8, |buffer: &mut [u8]| {
        let mut writer = Writer::new(buffer);
        writer.u64(1).map(|()| writer.position())
    });
    let mut small = [0u8; 4];
    assert_eq!(
        block_on(source.fill(&mut small)),
        Err(DataError::Full { capacity: 4 })
    );
}

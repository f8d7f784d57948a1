//! The Still Image class, the device task and the object server, driven on
//! the host through an embassy-usb-driver double by ptp-core's initiator
//! client: the same code as on the board, with the USB bus in memory.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use ptp_core::client::{Client, ClientError, DataError, DataSink, EventReader, SliceSink};
use ptp_core::container::Container;
use ptp_core::dataset::{DeviceStatus, ExtendedEventData};
use ptp_core::message::Message;
use ptp_embassy::flash_store::{CAPTURE_SIZE, FIRST_CAPTURE_HANDLE};
use ptp_embassy::object_server::STORAGE_ID;
use ptp_embassy::trigger::still_image_interface::StillImageInterface;
use support::host_pipes::{DoubleChannel, channels};
use support::usb_double::{ControlOutcome, HostDouble};
use support::usb_host::{StdClock, class_request, device_status, enumerate};
use support::{BIG, BIG_LEN, CAPTURES, IDENTITY, README, with_device};

type UsbClient = Client<DoubleChannel, StdClock, Vec<u8>>;

/// ptp-core's client over the trigger's USB host channel on the double.
fn client(host: &HostDouble, interface: StillImageInterface) -> UsbClient {
    let (channel, _) = channels(host, interface);
    let mut client = Client::new(channel, StdClock::new(), vec![0u8; 4096]);
    client.set_timeout_ms(2_000);
    client
}

#[test]
fn enumerates_with_a_still_image_interface() {
    let interface = with_device(|host| async move { enumerate(&host).await });
    assert_eq!(interface.number, 0);
    assert_eq!(interface.bulk_in.address & 0x80, 0x80);
    assert_eq!(interface.bulk_out.address & 0x80, 0);
    assert_eq!(interface.interrupt_in.address & 0x80, 0x80);
    assert_eq!(interface.bulk_in.max_packet_size, 64);
    assert_eq!(interface.interrupt_in.max_packet_size, 32);
}

#[test]
fn device_info_without_a_session() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        let mut out = [0u8; 512];
        let info = client.get_device_info(&mut out).await.unwrap();
        assert!(info.manufacturer.eq_str(IDENTITY.manufacturer));
        assert!(info.model.eq_str(IDENTITY.model));
        assert!(info.serial_number.eq_str(IDENTITY.serial));
        for operation in [0x1001, 0x1002, 0x1007, 0x1009, 0x100E, 0x101B] {
            assert!(
                info.operations_supported.contains(operation),
                "{operation:#06x}"
            );
        }
        assert!(info.events_supported.contains(0x4002));
        assert!(info.events_supported.contains(0x400D));
    });
}

#[test]
fn lists_and_gets_objects() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        client.open_session(1).await.unwrap();
        let mut out = [0u8; 512];
        let ids = client.get_storage_ids(&mut out).await.unwrap();
        assert!(ids.iter().eq([STORAGE_ID]));
        let storage = client.get_storage_info(STORAGE_ID, &mut out).await.unwrap();
        assert!(storage.storage_description.eq_str("Internal flash"));
        assert_eq!(storage.free_space_in_images, CAPTURES as u32);
        assert_eq!(client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap(), 2);
        let handles = client
            .get_object_handles(0xFFFF_FFFF, 0, 0xFFFF_FFFF, &mut out)
            .await
            .unwrap();
        assert!(handles.iter().eq([1, 2]));
        let text_only = client
            .get_object_handles(STORAGE_ID, 0x3004, 0, &mut out)
            .await
            .unwrap();
        assert!(text_only.iter().eq([1]));

        let info = client.get_object_info(1, &mut out).await.unwrap();
        assert!(info.filename.eq_str("README.TXT"));
        assert_eq!(info.object_compressed_size, README.len() as u32);
        assert_eq!(info.object_format, 0x3004);
        // 12 + 52 bytes: a whole number of packets, so the transfer ends
        // with a zero-length packet; the client must see the end.
        let mut data = [0u8; 128];
        let mut sink = SliceSink::new(&mut data);
        client.get_object(1, &mut sink).await.unwrap();
        assert_eq!(sink.data(), README);

        let mut big = vec![0u8; BIG_LEN + 16];
        let mut sink = SliceSink::new(&mut big);
        client.get_object(2, &mut sink).await.unwrap();
        assert_eq!(sink.len(), BIG_LEN);
        assert_eq!(sink.data(), &BIG[..]);

        let mut part = [0u8; 100];
        let mut sink = SliceSink::new(&mut part);
        let sent = client
            .get_partial_object(2, 1000, 100, &mut sink)
            .await
            .unwrap();
        assert_eq!(sent, 100);
        assert_eq!(sink.data(), &BIG[1000..1100]);

        let error = client.get_object_info(77, &mut out).await.unwrap_err();
        assert_eq!(error.response_code(), Some(0x2009));
        client.close_session().await.unwrap();
    });
}

#[test]
fn capture_adds_an_object_and_sends_events() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        let (_, event_channel) = channels(&host, interface);
        let mut events = EventReader::new(event_channel, StdClock::new());
        client.open_session(7).await.unwrap();
        let transaction = client.next_transaction_id();
        client.initiate_capture(0, 0).await.unwrap();

        let added = events.next(2_000).await.unwrap().expect("ObjectAdded");
        assert_eq!((added.code, added.transaction_id), (0x4002, transaction));
        let handle = added.params.get(0);
        assert_eq!(handle, FIRST_CAPTURE_HANDLE);
        let complete = events.next(2_000).await.unwrap().expect("CaptureComplete");
        assert_eq!(
            (complete.code, complete.transaction_id),
            (0x400D, transaction)
        );

        // Get Extended Event Data: the last event sent.
        let extended = match class_request(&host, interface.number, 0x65, 64, &[]).await {
            ControlOutcome::Accepted(data) => data,
            ControlOutcome::Stalled => panic!("Get Extended Event Data stalled"),
        };
        let extended = ExtendedEventData::parse(&extended).unwrap();
        assert_eq!(
            (extended.event_code, extended.transaction_id),
            (0x400D, transaction)
        );
        assert_eq!(extended.params.len(), 0);

        let mut out = [0u8; 512];
        let info = client.get_object_info(handle, &mut out).await.unwrap();
        assert!(info.filename.eq_str("CAPT0001.PGM"));
        let mut picture = [0u8; 512];
        let mut sink = SliceSink::new(&mut picture);
        client.get_object(handle, &mut sink).await.unwrap();
        assert_eq!(sink.len(), CAPTURE_SIZE);
        assert!(sink.data().starts_with(b"P5\n16 16\n255\n"));
        assert_eq!(client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap(), 3);

        // The store fills up: Store Full, and no event.
        for _ in 1..CAPTURES {
            client.initiate_capture(0, 0).await.unwrap();
        }
        let error = client.initiate_capture(0, 0).await.unwrap_err();
        assert_eq!(error.response_code(), Some(0x200C));
        client.delete_object(handle, 0).await.unwrap();
        assert_eq!(client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap(), 4);
    });
}

#[test]
fn a_transfer_of_whole_packets_ends_with_a_zero_length_packet() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        client.open_session(1).await.unwrap();
        // GetObject(1), transaction 1, built by ptp-core, sent as one packet.
        let mut command = [0u8; 32];
        let len = Container::Command(Message::new(0x1009, 1, &[1]))
            .emit(&mut command)
            .unwrap();
        assert!(
            host.write_packet(interface.bulk_out.address, &command[..len])
                .await
        );
        let mut packets = Vec::new();
        while packets
            .last()
            .is_none_or(|packet: &Vec<u8>| packet.len() != 12)
        {
            packets.push(host.read_packet(interface.bulk_in.address).await.unwrap());
        }
        // The data container is 12 + 52 = 64 bytes: one full packet, then
        // the ZLP that ends the transfer, then the 12-byte response.
        let lengths: Vec<usize> = packets.iter().map(Vec::len).collect();
        assert_eq!(lengths, [64, 0, 12]);
        assert_eq!(&packets[0][12..], README);
    });
}

/// A sink that takes `limit` bytes and then stops the data phase.
struct StopAfter {
    limit: usize,
    taken: usize,
}

impl DataSink for StopAfter {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        self.taken += chunk.len();
        if self.taken >= self.limit {
            return Err(DataError::Stopped);
        }
        Ok(())
    }
}

#[test]
fn cancel_in_the_middle_of_a_transfer() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        client.open_session(1).await.unwrap();
        let mut sink = StopAfter {
            limit: 1000,
            taken: 0,
        };
        let error = client.get_object(2, &mut sink).await.unwrap_err();
        assert!(
            matches!(error, ClientError::Sink(DataError::Stopped)),
            "{error:?}"
        );
        assert!(sink.taken < BIG_LEN, "the cancel came before the end");
        assert_eq!(
            device_status(&host, interface.number).await,
            DeviceStatus::OK
        );
        // The session survives and the next transaction is clean.
        let mut data = [0u8; 128];
        let mut data_sink = SliceSink::new(&mut data);
        client.get_object(1, &mut data_sink).await.unwrap();
        assert_eq!(data_sink.data(), README);
    });
}

#[test]
fn class_requests_refuse_what_they_do_not_know() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        // Cancel data must start with the CancelTransaction code 0x4001.
        let bad_cancel = [0x02, 0x40, 1, 0, 0, 0];
        let outcome = class_request(&host, interface.number, 0x64, 0, &bad_cancel).await;
        assert_eq!(outcome, ControlOutcome::Stalled);
        let short_cancel = [0x01, 0x40, 1];
        let outcome = class_request(&host, interface.number, 0x64, 0, &short_cancel).await;
        assert_eq!(outcome, ControlOutcome::Stalled);
        assert_eq!(
            class_request(&host, interface.number, 0x70, 8, &[]).await,
            ControlOutcome::Stalled
        );
        // No event sent yet: nothing to report.
        assert_eq!(
            class_request(&host, interface.number, 0x65, 64, &[]).await,
            ControlOutcome::Stalled
        );
        // A cancel of a transaction not in progress is accepted and harmless.
        let cancel = [0x01, 0x40, 9, 0, 0, 0];
        let outcome = class_request(&host, interface.number, 0x64, 0, &cancel).await;
        assert_eq!(outcome, ControlOutcome::Accepted(Vec::new()));
        assert_eq!(
            device_status(&host, interface.number).await,
            DeviceStatus::OK
        );
    });
}

#[test]
fn device_reset_closes_the_session() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        client.open_session(3).await.unwrap();
        assert_eq!(client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap(), 2);
        let outcome = class_request(&host, interface.number, 0x66, 0, &[]).await;
        assert_eq!(outcome, ControlOutcome::Accepted(Vec::new()));
        assert_eq!(
            device_status(&host, interface.number).await,
            DeviceStatus::OK
        );
        let error = client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap_err();
        assert_eq!(error.response_code(), Some(0x2003), "Session Not Open");
        client.reset();
        client.open_session(4).await.unwrap();
        assert_eq!(client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap(), 2);
    });
}

#[test]
fn bus_reset_then_enumeration_serves_again() {
    with_device(|host| async move {
        let interface = enumerate(&host).await;
        let mut client = client(&host, interface);
        client.open_session(1).await.unwrap();
        host.bus_reset();
        // The endpoints are gone: the transaction fails instead of hanging.
        assert!(matches!(
            client.get_num_objects(0xFFFF_FFFF, 0, 0).await,
            Err(ClientError::Channel(_))
        ));
        let again = enumerate(&host).await;
        assert_eq!(again, interface);
        let mut client = self::client(&host, again);
        let error = client.get_num_objects(0xFFFF_FFFF, 0, 0).await.unwrap_err();
        assert_eq!(
            error.response_code(),
            Some(0x2003),
            "the old session is gone"
        );
        client.open_session(2).await.unwrap();
        let mut out = [0u8; 512];
        let info = client.get_device_info(&mut out).await.unwrap();
        assert!(info.model.eq_str(IDENTITY.model));
    });
}

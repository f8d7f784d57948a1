//! Misbehaving peers (a raw PTP/IP client: no real initiator sends these):
//! each is dropped, memory stays bounded, and the next initiator is served
//! normally.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_core::dataset::ObjectInfo;
use ptp_core::ptpip::{DataPhase, FailReason, Packet};
use ptp_core::wire::PtpString;
use ptp_e2e::camera::TestCamera;
use ptp_e2e::raw_client::{
    self, RawClient, closed_within, connect, fail_reason, init_command, send,
};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use virtual_camera::Config;

fn fast_timeouts(config: &mut Config) {
    config.timeouts.handshake = Duration::from_millis(300);
    config.timeouts.stall = Duration::from_millis(300);
    config.timeouts.write = Duration::from_millis(500);
    config.timeouts.busy_grace = Duration::from_millis(100);
}

/// A normal session still works: open, GetDeviceInfo, close.
fn served_normally(camera: &TestCamera) {
    let mut client = RawClient::open(camera.addr(), "next").unwrap();
    let (data, reply) = client.transaction(0x1001, &[], None).unwrap();
    assert_eq!(reply.code, 0x2001);
    assert!(data.len() > 50);
    assert_eq!(
        client.transaction(0x1003, &[], None).unwrap().1.code,
        0x2001
    );
}

/// The handle of the object named `name`.
fn handle_of(client: &mut RawClient, name: &str) -> u32 {
    let (data, reply) = client
        .transaction(0x1007, &[0xFFFF_FFFF, 0, 0], None)
        .unwrap();
    assert_eq!(reply.code, 0x2001);
    let count = u32::from_le_bytes(data[..4].try_into().unwrap()) as usize;
    (0..count)
        .map(|i| u32::from_le_bytes(data[4 + 4 * i..8 + 4 * i].try_into().unwrap()))
        .find(|handle| {
            let (info, _) = client.transaction(0x1008, &[*handle], None).unwrap();
            ObjectInfo::parse(&info).unwrap().filename.eq_str(name)
        })
        .unwrap_or_else(|| panic!("no object {name}"))
}

#[test]
fn garbage_first_packet_is_dropped() {
    let camera = TestCamera::start_with("garbage", fast_timeouts);
    let mut stream = connect(camera.addr()).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: camera\r\n\r\n")
        .unwrap();
    assert!(closed_within(&mut stream, Duration::from_secs(2)));
    served_normally(&camera);
}

#[test]
fn garbage_inside_a_session_is_dropped() {
    let camera = TestCamera::start_with("garbage-session", fast_timeouts);
    let mut client = RawClient::open(camera.addr(), "garbage").unwrap();
    client
        .command
        .write_all(&[0x10, 0, 0, 0, 0x63, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])
        .unwrap();
    assert!(closed_within(&mut client.command, Duration::from_secs(2)));
    served_normally(&camera);
}

#[test]
fn huge_lying_lengths_are_dropped_at_once() {
    let camera = TestCamera::start_with("huge", fast_timeouts);
    // An init packet claiming 2 GiB.
    let mut stream = connect(camera.addr()).unwrap();
    stream.write_all(&[0, 0, 0, 0x80, 1, 0, 0, 0]).unwrap();
    let started = Instant::now();
    assert!(closed_within(&mut stream, Duration::from_secs(2)));
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "not at once: {:?}",
        started.elapsed()
    );
    // An operation request claiming 100 MB, inside a session.
    let mut client = RawClient::open(camera.addr(), "huge").unwrap();
    let mut lie = (100_000_000u32).to_le_bytes().to_vec();
    lie.extend([6, 0, 0, 0, 1, 0, 0, 0, 0x01, 0x10, 1, 0, 0, 0]);
    client.command.write_all(&lie).unwrap();
    assert!(closed_within(&mut client.command, Duration::from_secs(2)));
    served_normally(&camera);
}

#[test]
fn truncated_packets_and_silence_time_out() {
    let camera = TestCamera::start_with("truncated", fast_timeouts);
    // Connected, nothing sent: dropped after the handshake limit.
    let mut silent = connect(camera.addr()).unwrap();
    let started = Instant::now();
    assert!(closed_within(&mut silent, Duration::from_secs(3)));
    assert!(started.elapsed() >= Duration::from_millis(250));
    // Half an init packet, then silence.
    let mut half = connect(camera.addr()).unwrap();
    half.write_all(&[34, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3]).unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(3)));
    // Half a request inside a session, then silence: the stall limit.
    let mut client = RawClient::open(camera.addr(), "stall").unwrap();
    client
        .command
        .write_all(&[22, 0, 0, 0, 6, 0, 0, 0, 1, 0])
        .unwrap();
    assert!(closed_within(&mut client.command, Duration::from_secs(3)));
    // Half a request, then the connection closed.
    let mut client = RawClient::open(camera.addr(), "truncate").unwrap();
    client.command.write_all(&[22, 0, 0, 0, 6, 0]).unwrap();
    drop(client);
    served_normally(&camera);
}

#[test]
fn second_initiator_gets_busy_then_is_served() {
    let camera = TestCamera::start_with("busy", fast_timeouts);
    let first = RawClient::open(camera.addr(), "first").unwrap();
    let (mut second, answer) = init_command(camera.addr(), "second").unwrap();
    assert_eq!(fail_reason(&answer), Some(FailReason::Busy));
    assert!(closed_within(&mut second, Duration::from_secs(2)));
    // An event connection that names another session is refused too.
    let mut stray = connect(camera.addr()).unwrap();
    send(
        &mut stray,
        &Packet::InitEventRequest {
            connection_number: 999,
        },
    )
    .unwrap();
    let answer = raw_client::receive(&mut stray, &mut Vec::new()).unwrap();
    assert_eq!(fail_reason(&answer), Some(FailReason::RejectedInitiator));
    drop(first);
    served_normally(&camera);
}

#[test]
fn disconnect_mid_download_and_mid_upload() {
    let camera = TestCamera::start_with("disconnect", fast_timeouts);
    let big = camera.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut client = RawClient::open(camera.addr(), "abrupt").unwrap();
    let handle = handle_of(&mut client, "big.bin");
    client
        .request(0x1009, &[handle], DataPhase::NoneOrIn)
        .unwrap();
    let mut some = [0u8; 100_000];
    client.command.read_exact(&mut some).unwrap();
    drop(client);

    // An upload cut off in its data phase leaves nothing behind.
    let mut client = RawClient::open(camera.addr(), "abrupt-upload").unwrap();
    let info = ObjectInfo {
        storage_id: 0x0001_0001,
        object_format: 0x3000,
        object_compressed_size: 1_000_000,
        filename: PtpString::Str("partial.bin"),
        ..ObjectInfo::default()
    };
    let mut bytes = vec![0; info.buffer_len()];
    info.emit(&mut bytes).unwrap();
    let (_, reply) = client
        .transaction(0x100C, &[0x0001_0001, 0xFFFF_FFFF], Some(&bytes))
        .unwrap();
    assert_eq!(reply.code, 0x2001);
    let tid = client.request(0x100D, &[], DataPhase::Out).unwrap();
    send(
        &mut client.command,
        &Packet::StartData {
            transaction_id: tid,
            total_length: 1_000_000,
        },
    )
    .unwrap();
    send(
        &mut client.command,
        &Packet::Data {
            transaction_id: tid,
            payload: &[7; 5000],
        },
    )
    .unwrap();
    drop(client);
    served_normally(&camera);
    let names: Vec<String> = std::fs::read_dir(camera.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("partial") || n.ends_with(".part")),
        "{names:?}"
    );
}

#[test]
fn a_reader_that_never_reads_is_dropped() {
    let camera = TestCamera::start_with("never-reads", fast_timeouts);
    let big = camera.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(256 << 20)
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut client = RawClient::open(camera.addr(), "sleepy").unwrap();
    let handle = handle_of(&mut client, "big.bin");
    client
        .request(0x1009, &[handle], DataPhase::NoneOrIn)
        .unwrap();
    // Never read; the server gives up after its write limit and frees the
    // slot for the next initiator.
    let started = Instant::now();
    loop {
        match RawClient::open(camera.addr(), "next") {
            Ok(_) => break,
            Err(_) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("still busy after {:?}: {e}", started.elapsed()),
        }
    }
    drop(client);
    served_normally(&camera);
}

#[test]
fn connection_floods_are_bounded() {
    let camera = TestCamera::start_with("flood", fast_timeouts);
    let idle: Vec<_> = (0..40).map(|_| connect(camera.addr()).unwrap()).collect();
    // The ones over the handshake limit are closed at once, the others at
    // the handshake timeout; then service is normal.
    std::thread::sleep(Duration::from_millis(600));
    for mut stream in idle {
        assert!(closed_within(&mut stream, Duration::from_secs(2)));
    }
    served_normally(&camera);
}

#[test]
fn uploaded_names_are_sanitised_and_never_overwrite() {
    let camera = TestCamera::start_with("names", fast_timeouts);
    let mut client = RawClient::open(camera.addr(), "names").unwrap();
    let send_info = |client: &mut RawClient, name: &str| {
        let info = ObjectInfo {
            storage_id: 0x0001_0001,
            object_format: 0x3000,
            object_compressed_size: 5,
            filename: PtpString::Str(name),
            ..ObjectInfo::default()
        };
        let mut bytes = vec![0; info.buffer_len()];
        info.emit(&mut bytes).unwrap();
        client
            .transaction(0x100C, &[0x0001_0001, 0xFFFF_FFFF], Some(&bytes))
            .unwrap()
            .1
    };
    let reply = send_info(&mut client, "../../escape.txt");
    assert_eq!(reply.code, 0x2001);
    assert_eq!(
        client
            .transaction(0x100D, &[], Some(b"hello"))
            .unwrap()
            .1
            .code,
        0x2001
    );
    assert_eq!(
        std::fs::read(camera.path().join("_.._escape.txt")).unwrap(),
        b"hello"
    );
    assert!(!camera.path().parent().unwrap().join("escape.txt").exists());
    let reply = send_info(&mut client, "/etc/absolute");
    assert_eq!(reply.code, 0x2001);
    assert_eq!(
        client
            .transaction(0x100D, &[], Some(b"abs!!"))
            .unwrap()
            .1
            .code,
        0x2001
    );
    assert!(camera.path().join("_etc_absolute").exists());
    // An existing name is refused (Access Denied); the file is untouched.
    let before = std::fs::read(camera.path().join("checker.jpg")).unwrap();
    assert_eq!(send_info(&mut client, "checker.jpg").code, 0x200F);
    assert_eq!(
        client
            .transaction(0x100D, &[], Some(b"xxxxx"))
            .unwrap()
            .1
            .code,
        0x2015
    );
    assert_eq!(
        std::fs::read(camera.path().join("checker.jpg")).unwrap(),
        before
    );
    assert_eq!(send_info(&mut client, "..").code, 0x201D);
}

//! # usbip-device
//!
//! The firmware's USB device, run on the build machine and presented to a
//! Linux kernel over USB/IP: ptp-embassy's example device
//! (`example::device`: embassy-usb's `UsbDevice`, the Still Image class,
//! the PTP device task and the example object server with its capture)
//! runs unchanged on an embassy-usb-driver [`Driver`](embassy_usb_driver::Driver)
//! whose bus is a USB/IP connection ([`driver`], [`urbs`]). The kernel's
//! vhci-hcd, attached to the other end, enumerates it like any full-speed
//! device; `ptpctl` and `gphoto2` then drive it through the real USB stack.
//!
//! ```text
//! usbip-device serve SOCKET [--verbose]   connect to SOCKET (a unix stream socket,
//!                                         e.g. QEMU's virtio-serial chardev) and
//!                                         serve until the host closes it
//! usbip-device export DIR                 write the example objects (and the first
//!                                         capture) to DIR
//! ```
//!
//! Only the URB stage of USB/IP is spoken ([`protocol`]): the attach
//! (`PORT FD DEVID SPEED` written to vhci-hcd's sysfs `attach`) is done on
//! the kernel's side, by `usbip-relay` in the QEMU guest. Every byte from
//! the connection is checked ([`connection`]); PTP bytes go through
//! ptp-embassy and ptp-core untouched.
//!
//! Exit status: 0 when the host closed the connection, 1 when it broke or
//! sent something no host sends, 2 for a usage error.

mod connection;
mod driver;
mod executor;
mod export;
mod protocol;
mod urbs;

use driver::{Shared, UsbipDriver};
use embassy_futures::join::join;
use ptp_embassy::{Identity, example};
use std::cell::RefCell;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};
use urbs::Urbs;

/// What the device reports in DeviceInfo and its USB strings.
const IDENTITY: Identity = Identity {
    manufacturer: example::MANUFACTURER,
    model: "ptp-embassy over USB/IP",
    version: env!("CARGO_PKG_VERSION"),
    serial: "USBIP-0001",
};

/// How long `serve` tries to connect (QEMU makes its socket as it starts).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

const USAGE: &str = "usage: usbip-device serve SOCKET [--verbose] | usbip-device export DIR";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["serve", socket] => serve(Path::new(socket), false),
        ["serve", socket, "--verbose"] => serve(Path::new(socket), true),
        ["export", dir] => export::export(Path::new(dir)).map(|names| {
            println!("{}", names.join("\n"));
        }),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("usbip-device: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Connects to `socket` and serves the example device until the host
/// closes the connection.
fn serve(socket: &Path, verbose: bool) -> Result<(), String> {
    let stream = connect(socket)?;
    eprintln!(
        "usbip-device: connected to {}; serving {} {:04x}:{:04x} (full speed)",
        socket.display(),
        IDENTITY.model,
        example::USB_VID,
        example::USB_PID
    );
    let counts = serve_stream(stream, verbose)?;
    eprintln!(
        "usbip-device: the host closed the connection after {} URBs ({} completed, {} with an \
         error status, {} unlinks; {} bytes to the device, {} from it)",
        counts.submitted,
        counts.completed,
        counts.failed,
        counts.unlinks,
        counts.bytes_out,
        counts.bytes_in
    );
    Ok(())
}

/// Serves the example device on `stream` until the host closes it.
fn serve_stream(stream: UnixStream, verbose: bool) -> Result<urbs::Counts, String> {
    let reader = stream
        .try_clone()
        .map_err(|error| format!("cannot share the socket with the reader: {error}"))?;
    let shared: Shared = Rc::new(RefCell::new(Urbs::new(verbose)));
    // The device lives as long as the process, as on the microcontroller.
    let parts: &'static mut example::Parts = Box::leak(Box::default());
    let (mut usb, mut device, server) =
        example::device(UsbipDriver::new(shared.clone()), IDENTITY, parts)
            .map_err(|error| format!("the example device does not fit its buffers: {error}"))?;
    let incoming = connection::spawn_reader(reader, thread::current());
    let mut writer = stream;
    let running = join(usb.run(), device.run(server));
    executor::run(running, &shared, &incoming, &mut writer).map_err(|error| error.to_string())
}

/// Connects to `socket`, retrying until [`CONNECT_TIMEOUT`].
fn connect(socket: &Path) -> Result<UnixStream, String> {
    let start = Instant::now();
    loop {
        match UnixStream::connect(socket) {
            Ok(stream) => return Ok(stream),
            Err(error) if start.elapsed() >= CONNECT_TIMEOUT => {
                return Err(format!(
                    "cannot connect to {} within {} s: {error} (is QEMU running with \
                     `-chardev socket,path=...,server=on`?)",
                    socket.display(),
                    CONNECT_TIMEOUT.as_secs()
                ));
            }
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use std::io::{Read, Write};

    /// A CMD_SUBMIT header.
    fn submit(seqnum: u32, direction: u32, endpoint: u32, length: u32, setup: [u8; 8]) -> Vec<u8> {
        let words = [1, seqnum, 0x10002, direction, endpoint, 0, length, 0, 0, 0];
        let mut bytes: Vec<u8> = words
            .iter()
            .flat_map(|word: &u32| word.to_be_bytes())
            .collect();
        bytes.extend(setup);
        bytes
    }

    /// Reads one reply: (command, seqnum, status, length) and `data` bytes.
    fn reply(stream: &mut UnixStream, data: usize) -> ([u32; 4], Vec<u8>) {
        let mut header = [0u8; protocol::HEADER_LEN];
        stream.read_exact(&mut header).unwrap();
        let word = |at: usize| u32::from_be_bytes(header[at..at + 4].try_into().unwrap());
        let mut bytes = vec![0u8; data];
        stream.read_exact(&mut bytes).unwrap();
        ([word(0), word(4), word(20), word(24)], bytes)
    }

    /// The example device on a socket pair, the test playing vhci-hcd:
    /// enumeration requests, a configuration, an unlinked bulk IN URB,
    /// then the close that ends the bridge.
    #[test]
    fn serves_the_example_device_over_a_socket() {
        let (mut host, device) = UnixStream::pair().unwrap();
        host.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let bridge = thread::spawn(move || serve_stream(device, false));

        // GET_DESCRIPTOR(device), 18 bytes.
        host.write_all(&submit(1, 1, 0, 18, [0x80, 6, 0, 1, 0, 0, 18, 0]))
            .unwrap();
        let (words, descriptor) = reply(&mut host, 18);
        assert_eq!(words, [3, 1, 0, 18]);
        assert_eq!(descriptor[..2], [18, 1]);
        assert_eq!(descriptor[8..12], [0x09, 0x12, 0x01, 0x00], "1209:0001");

        // SET_CONFIGURATION(1): no data stage.
        host.write_all(&submit(2, 0, 0, 0, [0x00, 9, 1, 0, 0, 0, 0, 0]))
            .unwrap();
        assert_eq!(reply(&mut host, 0).0, [3, 2, 0, 0]);

        // A bulk IN URB with nothing to send: pending until unlinked.
        host.write_all(&submit(3, 1, 1, 512, [0; 8])).unwrap();
        let unlink: Vec<u8> = [2u32, 4, 0x10002, 0, 0, 3, 0, 0, 0, 0]
            .iter()
            .flat_map(|word| word.to_be_bytes())
            .chain([0; 8])
            .collect();
        host.write_all(&unlink).unwrap();
        assert_eq!(reply(&mut host, 0).0, [4, 4, (-104i32) as u32, 0]);

        drop(host);
        let counts = bridge.join().unwrap().unwrap();
        assert_eq!(
            (counts.submitted, counts.completed, counts.unlinks),
            (3, 2, 1)
        );
    }

    #[test]
    fn a_host_that_sends_garbage_is_refused() {
        let (mut host, device) = UnixStream::pair().unwrap();
        let bridge = thread::spawn(move || serve_stream(device, false));
        host.write_all(&[0x55; protocol::HEADER_LEN]).unwrap();
        let error = bridge.join().unwrap().unwrap_err();
        assert!(error.contains("unknown USB/IP command"), "{error}");
    }
}

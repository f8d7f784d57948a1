//! # usbip-relay
//!
//! The guest's half of the USB/IP bridge (the host's half is
//! `usbip-device`). vhci-hcd takes a USB/IP connection only as a stream
//! socket, written to `/sys/devices/platform/vhci_hcd.0/attach` as
//! `PORT FD DEVID SPEED`; the host is reached through a virtio-serial port,
//! which is no socket. So this program makes a socket pair, attaches one
//! end, and copies bytes between the other end and the port in both
//! directions until either side closes.
//!
//! ```text
//! usbip-relay SERIAL_PORT [PORT DEVID SPEED]
//! ```
//! defaults: port 0 (the first high-speed-capable port), devid 0x00010002
//! (bus 1, device 2, which only names the device in USB/IP headers), speed 2
//! (full speed). Built static for the busybox guest.
//!
//! Reading a virtio-serial port returns end-of-file while nothing is
//! connected on the host: until the first byte arrives, an end-of-file is
//! taken as "not connected yet" and retried for [`HOST_WAIT`]; afterwards
//! it ends the relay.
//!
//! Exit status: 0 when one side closed, 1 on an error (said on stderr), 2
//! for a usage error.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

/// vhci-hcd's attach file.
const ATTACH: &str = "/sys/devices/platform/vhci_hcd.0/attach";

/// How long to wait for the host's end of the serial port.
const HOST_WAIT: Duration = Duration::from_secs(60);

/// Bytes copied at a time.
const CHUNK: usize = 64 * 1024;

/// Where to attach the device.
struct Attach {
    port: u32,
    devid: u32,
    speed: u32,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [serial] => Some((
            serial,
            Attach {
                port: 0,
                devid: 0x0001_0002,
                speed: 2,
            },
        )),
        [serial, port, devid, speed] => match (number(port), number(devid), number(speed)) {
            (Some(port), Some(devid), Some(speed)) => Some((serial, Attach { port, devid, speed })),
            _ => None,
        },
        _ => None,
    };
    let Some((serial, attach)) = parsed else {
        eprintln!("usage: usbip-relay SERIAL_PORT [PORT DEVID SPEED] (numbers decimal or 0x hex)");
        return ExitCode::from(2);
    };
    match relay(serial, &attach) {
        Ok(how) => {
            eprintln!("usbip-relay: {how}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("usbip-relay: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A decimal or `0x` hexadecimal number.
fn number(text: &str) -> Option<u32> {
    match text.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Attaches a socket pair and relays until one side closes; how it ended.
fn relay(serial: &str, attach: &Attach) -> Result<String, String> {
    let port = OpenOptions::new()
        .read(true)
        .write(true)
        .open(serial)
        .map_err(|error| format!("cannot open {serial}: {error}"))?;
    let (ours, theirs) =
        UnixStream::pair().map_err(|error| format!("cannot make a socket pair: {error}"))?;
    let line = format!(
        "{} {} {} {}",
        attach.port,
        theirs.as_raw_fd(),
        attach.devid,
        attach.speed
    );
    std::fs::write(ATTACH, &line).map_err(|error| {
        format!(
            "cannot attach ({line:?} to {ATTACH}): {error}; is vhci-hcd loaded and the port free?"
        )
    })?;
    // The kernel holds its own reference to the attached socket.
    drop(theirs);
    eprintln!("usbip-relay: attached `{line}`; relaying {serial}");

    let to_host = port
        .try_clone()
        .map_err(|error| format!("cannot share {serial}: {error}"))?;
    let from_kernel = ours
        .try_clone()
        .map_err(|error| format!("cannot share the socket: {error}"))?;
    // Kernel to host on a thread, which ends the process when the kernel
    // closes its end (vhci-hcd detached); host to kernel here.
    thread::spawn(move || {
        let status = match copy_stream(from_kernel, to_host) {
            Ok(bytes) => {
                eprintln!("usbip-relay: the kernel closed the socket after {bytes} bytes from it");
                0
            }
            Err(error) => {
                eprintln!("usbip-relay: relaying the kernel's bytes to the host failed: {error}");
                1
            }
        };
        std::process::exit(status);
    });
    let downstream = copy_from_port(port, &ours);
    // Closing our end tells vhci-hcd the device is gone.
    let _ = ours.shutdown(Shutdown::Both);
    downstream
        .map(|bytes| format!("the host closed the serial port after {bytes} bytes to the kernel"))
}

/// Copies the kernel's side to the serial port until the socket closes.
fn copy_stream(mut from: UnixStream, mut to: File) -> io::Result<u64> {
    let mut buffer = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) => return Ok(total),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        to.write_all(buffer.get(..read).unwrap_or_default())?;
        total += read as u64;
    }
}

/// Copies the serial port to the kernel's socket until the host closes
/// the port (an end-of-file after the first byte) or the socket fails.
fn copy_from_port(mut from: File, mut to: &UnixStream) -> Result<u64, String> {
    let mut buffer = vec![0u8; CHUNK];
    let mut total = 0u64;
    let start = Instant::now();
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) if total == 0 && start.elapsed() < HOST_WAIT => {
                thread::sleep(Duration::from_millis(20));
                continue;
            }
            Ok(0) if total == 0 => {
                return Err(format!(
                    "nothing connected to the host side of the serial port within {} s",
                    HOST_WAIT.as_secs()
                ));
            }
            Ok(0) => return Ok(total),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(format!("reading the serial port failed: {error}")),
        };
        to.write_all(buffer.get(..read).unwrap_or_default())
            .map_err(|error| {
                format!("the kernel's socket closed after {total} bytes to it: {error}")
            })?;
        total += read as u64;
    }
}

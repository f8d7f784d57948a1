//! The command/data connection of a session: bytes from the socket into
//! ptp-core's responder engine, the engine's output back to the socket.
//! Bounded buffers; every wait has a limit.

use crate::camera::Camera;
use crate::config::Timeouts;
use ptp_core::Status;
use ptp_core::framer::Transport;
use ptp_core::responder::Responder;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The largest packet accepted apart from data payloads, which are
/// streamed: requests are at most 42 bytes, init packets about 550.
pub const MAX_PACKET_LEN: usize = 64 * 1024;
/// The output buffer: one data packet carries up to this much.
pub const OUT_LEN: usize = 256 * 1024;
/// How often a waiting read checks for the server stopping and timeouts.
const POLL: Duration = Duration::from_millis(100);

/// How a session ended normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The initiator closed the connection.
    Closed,
    /// The server is stopping.
    Stopped,
    /// No request within the idle timeout.
    Idle,
}

/// Serves operations on `stream` until it ends; `initial` are bytes that
/// arrived with the init packet. An error says why the peer was dropped.
pub fn serve(
    stream: &mut TcpStream,
    initial: &[u8],
    camera: &mut Camera,
    timeouts: &Timeouts,
    stopping: &AtomicBool,
) -> Result<End, String> {
    stream
        .set_read_timeout(Some(POLL))
        .and_then(|()| stream.set_write_timeout(Some(timeouts.write)))
        .map_err(|e| format!("cannot set socket timeouts: {e}"))?;
    let mut responder = Responder::new(Transport::PtpIp);
    let mut input = vec![0u8; MAX_PACKET_LEN];
    let mut out = vec![0u8; OUT_LEN];
    let mut len = initial.len().min(input.len());
    if let (Some(target), Some(source)) = (input.get_mut(..len), initial.get(..len)) {
        target.copy_from_slice(source);
    }
    let mut last_input = Instant::now();
    loop {
        // Everything the buffered bytes make complete.
        loop {
            let buffered = input.get(..len).unwrap_or(&[]);
            match responder.receive(buffered, camera) {
                Ok(Status::Complete(used)) => {
                    input.copy_within(used..len, 0);
                    len -= used;
                    flush(&mut responder, camera, stream, &mut out, timeouts)?;
                }
                Ok(Status::Incomplete { needed }) if needed > input.len() => {
                    return Err(format!(
                        "a {needed}-byte packet exceeds the {MAX_PACKET_LEN}-byte limit"
                    ));
                }
                Ok(Status::Incomplete { .. }) => break,
                Err(error) => return Err(format!("{error}")),
            }
        }
        let room = input.get_mut(len..).unwrap_or(&mut []);
        match stream.read(room) {
            Ok(0) if len == 0 && responder.is_idle() => return Ok(End::Closed),
            Ok(0) => {
                return Err(format!(
                    "disconnected in the middle of {}",
                    match responder.current_transaction() {
                        Some(tid) => format!("transaction {tid}"),
                        None => format!("a packet ({len} bytes of it received)"),
                    }
                ));
            }
            Ok(count) => {
                len += count;
                last_input = Instant::now();
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if stopping.load(Ordering::Relaxed) {
                    return Ok(End::Stopped);
                }
                let quiet = last_input.elapsed();
                let mid_packet = len > 0 || !responder.is_idle();
                if mid_packet && quiet > timeouts.stall {
                    return Err(format!(
                        "no progress for {} s in the middle of a packet or data phase",
                        quiet.as_secs()
                    ));
                }
                if timeouts.idle.is_some_and(|idle| quiet > idle) {
                    return Ok(End::Idle);
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("reading failed: {e}")),
        }
    }
}

/// Sends everything the engine has to send.
fn flush(
    responder: &mut Responder,
    camera: &mut Camera,
    stream: &mut TcpStream,
    out: &mut [u8],
    timeouts: &Timeouts,
) -> Result<(), String> {
    while let Some(transmit) = responder
        .poll_transmit(out, camera)
        .map_err(|e| format!("{e}"))?
    {
        let bytes = out.get(..transmit.len).unwrap_or(&[]);
        stream.write_all(bytes).map_err(|e| match e.kind() {
            ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
                "the initiator stopped reading (nothing taken for {} s)",
                timeouts.write.as_secs()
            ),
            _ => format!("writing failed: {e}"),
        })?;
    }
    Ok(())
}

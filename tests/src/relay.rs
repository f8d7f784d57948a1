//! A TCP relay for PTP/IP tests: it sits between an initiator and a
//! responder on a loopback port, forwards every byte both ways, and
//! records them, so a test can check what crossed the wire (which packets
//! the initiator sent, in which order) rather than what either side says.

use ptp_core::Status;
use ptp_core::ptpip::Packet;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long the relay waits for its connections.
const ACCEPT_WAIT: Duration = Duration::from_secs(30);
/// A relayed connection with nothing to read for this long ends.
const IDLE: Duration = Duration::from_secs(60);

/// The bytes each way of one relayed connection.
#[derive(Debug)]
pub struct Recorded {
    /// From the initiator to the responder.
    pub sent: Vec<u8>,
    /// From the responder to the initiator.
    pub received: Vec<u8>,
}

type Pumps = Vec<(JoinHandle<Vec<u8>>, JoinHandle<Vec<u8>>)>;

/// A relay on a loopback port that forwards a number of connections to
/// the responder and records their bytes.
#[derive(Debug)]
pub struct Relay {
    /// Where it listens: give this to the initiator.
    pub addr: SocketAddr,
    accept: JoinHandle<Pumps>,
}

impl Relay {
    /// Relays the next `connections` connections (a PTP/IP initiator makes
    /// two: command, then event) to `responder`. Accepting gives up after
    /// 30 s; a connection with nothing to read for 60 s ends.
    pub fn start(responder: SocketAddr, connections: usize) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the relay");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the relay's address");
        let accept = thread::spawn(move || {
            let deadline = Instant::now() + ACCEPT_WAIT;
            let mut pumps = Vec::new();
            while pumps.len() < connections && Instant::now() < deadline {
                match listener.accept() {
                    Ok((initiator, _)) => pumps.push(relay(initiator, responder)),
                    Err(error) if error.kind() == ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(5));
                    }
                    Err(error) => panic!("relay: accepting failed: {error}"),
                }
            }
            pumps
        });
        Relay { addr, accept }
    }

    /// Waits for every relayed connection to end; what each carried, in
    /// the order they were made.
    pub fn finish(self) -> Vec<Recorded> {
        self.accept
            .join()
            .expect("the relay's accept thread")
            .into_iter()
            .map(|(sent, received)| Recorded {
                sent: sent.join().expect("a relay pump"),
                received: received.join().expect("a relay pump"),
            })
            .collect()
    }
}

/// Connects `initiator` to `responder`: a pump each way.
fn relay(
    initiator: TcpStream,
    responder: SocketAddr,
) -> (JoinHandle<Vec<u8>>, JoinHandle<Vec<u8>>) {
    let upstream = TcpStream::connect(responder).expect("the relay connects to the responder");
    for stream in [&initiator, &upstream] {
        stream.set_nonblocking(false).expect("a blocking socket");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        stream.set_read_timeout(Some(IDLE)).expect("a read timeout");
    }
    let initiator_2 = initiator.try_clone().expect("a second handle");
    let upstream_2 = upstream.try_clone().expect("a second handle");
    (
        thread::spawn(move || pump(initiator, upstream)),
        thread::spawn(move || pump(upstream_2, initiator_2)),
    )
}

/// Copies `from` to `to` until `from` ends; returns what it copied.
fn pump(mut from: TcpStream, mut to: TcpStream) -> Vec<u8> {
    let mut record = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let chunk = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(count) => buffer.get(..count).unwrap_or_default(),
        };
        if to.write_all(chunk).is_err() {
            break;
        }
        record.extend_from_slice(chunk);
    }
    let _ = to.shutdown(Shutdown::Write);
    record
}

/// The PTP/IP packets of a recorded stream; panics on a cut or malformed
/// one.
pub fn packets(mut bytes: &[u8]) -> Vec<Packet<'_>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        match Packet::parse(bytes).expect("a well-formed PTP/IP packet") {
            Status::Complete((packet, used)) => {
                out.push(packet);
                bytes = bytes.get(used..).unwrap_or_default();
            }
            Status::Incomplete { needed } => {
                panic!("the stream ends in a cut packet ({needed} bytes needed)")
            }
        }
    }
    out
}

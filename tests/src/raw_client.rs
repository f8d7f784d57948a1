//! A minimal PTP/IP initiator over plain TCP, built on ptp-core's packets:
//! a test double of an initiator, for the cases a real client never
//! produces (garbage, lies, stalls, a second initiator at once) and for
//! checking events. Real-client interop is gphoto2's job.

use ptp_core::Status;
use ptp_core::message::Message;
use ptp_core::ptpip::{DataPhase, FailReason, Packet, VERSION};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long a read waits.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A connected socket with the test's time limits.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    Ok(stream)
}

/// Writes a packet.
pub fn send(stream: &mut TcpStream, packet: &Packet<'_>) -> io::Result<()> {
    let mut bytes = vec![0u8; packet.buffer_len()];
    let len = packet.emit(&mut bytes).map_err(io::Error::other)?;
    stream.write_all(bytes.get(..len).unwrap_or(&[]))
}

/// Reads one whole packet's bytes (`pending` keeps what follows it).
pub fn receive(stream: &mut TcpStream, pending: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    loop {
        match Packet::parse(pending) {
            Ok(Status::Complete((_, used))) => {
                let rest = pending.split_off(used);
                return Ok(std::mem::replace(pending, rest));
            }
            Ok(Status::Incomplete { .. }) => {}
            Err(e) => return Err(io::Error::other(e.to_string())),
        }
        let mut chunk = [0u8; 64 * 1024];
        let count = stream.read(&mut chunk)?;
        if count == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        pending.extend_from_slice(chunk.get(..count).unwrap_or(&[]));
    }
}

/// Whether the peer closed `stream` (reads until EOF or an error, for at
/// most `within`).
pub fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let _ = stream.set_read_timeout(Some(within));
    let mut sink = [0u8; 4096];
    loop {
        match stream.read(&mut sink) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => return e.kind() == io::ErrorKind::ConnectionReset,
        }
    }
}

/// A response: code and parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Response code.
    pub code: u16,
    /// Parameters.
    pub params: Vec<u32>,
}

/// An event: code, transaction id and parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSeen {
    /// Event code.
    pub code: u16,
    /// Transaction id.
    pub transaction_id: u32,
    /// Parameters.
    pub params: Vec<u32>,
}

/// An initiator with a command and an event connection.
#[derive(Debug)]
pub struct RawClient {
    /// The command/data connection.
    pub command: TcpStream,
    /// The event connection.
    pub event: TcpStream,
    pending: Vec<u8>,
    event_pending: Vec<u8>,
    transaction_id: u32,
}

/// Sends Init Command Request on a new connection; the answer's bytes.
pub fn init_command(addr: SocketAddr, name: &str) -> io::Result<(TcpStream, Vec<u8>)> {
    let mut command = connect(addr)?;
    send(
        &mut command,
        &Packet::InitCommandRequest {
            guid: [0x42; 16],
            name: name.into(),
            version: VERSION,
        },
    )?;
    let answer = receive(&mut command, &mut Vec::new())?;
    Ok((command, answer))
}

impl RawClient {
    /// Connects both connections and opens session 1; `Err` carries an
    /// Init Fail reason as text.
    pub fn open(addr: SocketAddr, name: &str) -> io::Result<RawClient> {
        let (command, answer) = init_command(addr, name)?;
        let number = match Packet::parse(&answer) {
            Ok(Status::Complete((
                Packet::InitCommandAck {
                    connection_number, ..
                },
                _,
            ))) => connection_number,
            Ok(Status::Complete((Packet::InitFail { reason }, _))) => {
                return Err(io::Error::other(format!("Init Fail: {reason}")));
            }
            other => return Err(io::Error::other(format!("unexpected answer {other:?}"))),
        };
        let mut event = connect(addr)?;
        send(
            &mut event,
            &Packet::InitEventRequest {
                connection_number: number,
            },
        )?;
        let ack = receive(&mut event, &mut Vec::new())?;
        if !matches!(
            Packet::parse(&ack),
            Ok(Status::Complete((Packet::InitEventAck, _)))
        ) {
            return Err(io::Error::other("no Init Event Ack"));
        }
        let mut client = RawClient {
            command,
            event,
            pending: Vec::new(),
            event_pending: Vec::new(),
            transaction_id: 0,
        };
        let reply = client.transaction(0x1002, &[1], None)?.1;
        if reply.code != 0x2001 {
            return Err(io::Error::other(format!(
                "OpenSession: 0x{:04X}",
                reply.code
            )));
        }
        Ok(client)
    }

    /// Sends only an operation request with the next transaction id (the
    /// caller reads, or does not read, what follows); returns the id.
    pub fn request(&mut self, code: u16, params: &[u32], data_phase: DataPhase) -> io::Result<u32> {
        self.transaction_id += 1;
        let tid = self.transaction_id;
        send(
            &mut self.command,
            &Packet::OperationRequest {
                data_phase,
                message: Message::new(code, tid, params),
            },
        )?;
        Ok(tid)
    }

    /// Runs one operation: request, optional data out, data in, response.
    pub fn transaction(
        &mut self,
        code: u16,
        params: &[u32],
        data_out: Option<&[u8]>,
    ) -> io::Result<(Vec<u8>, Reply)> {
        self.transaction_id = if code == 0x1002 {
            0
        } else {
            self.transaction_id + 1
        };
        let tid = self.transaction_id;
        let phase = if data_out.is_some() {
            DataPhase::Out
        } else {
            DataPhase::NoneOrIn
        };
        send(
            &mut self.command,
            &Packet::OperationRequest {
                data_phase: phase,
                message: Message::new(code, tid, params),
            },
        )?;
        if let Some(data) = data_out {
            send(
                &mut self.command,
                &Packet::StartData {
                    transaction_id: tid,
                    total_length: data.len() as u64,
                },
            )?;
            send(
                &mut self.command,
                &Packet::EndData {
                    transaction_id: tid,
                    payload: data,
                },
            )?;
        }
        let mut data_in = Vec::new();
        loop {
            let bytes = receive(&mut self.command, &mut self.pending)?;
            match Packet::parse(&bytes) {
                Ok(Status::Complete((Packet::OperationResponse(message), _))) => {
                    return Ok((
                        data_in,
                        Reply {
                            code: message.code,
                            params: message.params.iter().collect(),
                        },
                    ));
                }
                Ok(Status::Complete((
                    Packet::Data { payload, .. } | Packet::EndData { payload, .. },
                    _,
                ))) => {
                    data_in.extend_from_slice(payload);
                }
                Ok(Status::Complete((Packet::StartData { .. }, _))) => {}
                other => return Err(io::Error::other(format!("unexpected {other:?}"))),
            }
        }
    }

    /// The next event, or `None` if none comes within `within`.
    pub fn next_event(&mut self, within: Duration) -> Option<EventSeen> {
        let _ = self.event.set_read_timeout(Some(within));
        let bytes = receive(&mut self.event, &mut self.event_pending).ok()?;
        match Packet::parse(&bytes) {
            Ok(Status::Complete((Packet::Event(message), _))) => Some(EventSeen {
                code: message.code,
                transaction_id: message.transaction_id,
                params: message.params.iter().collect(),
            }),
            _ => None,
        }
    }
}

/// The Init Fail reason in `answer`, if it is one.
pub fn fail_reason(answer: &[u8]) -> Option<FailReason> {
    match Packet::parse(answer) {
        Ok(Status::Complete((Packet::InitFail { reason }, _))) => Some(reason),
        _ => None,
    }
}

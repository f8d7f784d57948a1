//! A test double of a device for the responder engine: its answers come
//! from the fuzz input, and it checks what the engine hands it.

use arbitrary::Arbitrary;
use ptp_core::message::OwnedParams;
use ptp_core::responder::{Handler, Reply, Request, Response};

/// How the double answers one request.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Decision {
    /// Respond at once with this code and up to five parameters.
    Respond {
        /// Response code.
        code: u16,
        /// Parameters (the first `count % 6` are used).
        params: [u32; 5],
        /// How many parameters.
        count: u8,
    },
    /// A data-in phase of `total` bytes, read as `reads` says.
    DataIn {
        /// Total bytes (small, so a run stays short).
        total: u16,
        /// How `read_data` behaves.
        reads: ReadBehaviour,
    },
    /// A data-out phase; `write_data` fails with `fail` if set.
    DataOut {
        /// An error code for `write_data`.
        fail: Option<u16>,
        /// The response after the phase.
        done: u16,
    },
}

/// How `read_data` fills the engine's buffer.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum ReadBehaviour {
    /// As much as asked.
    Fill,
    /// At most this many bytes per call (0 ends the phase early).
    Short(u8),
    /// Claims more than the buffer holds.
    Overlong,
    /// Fails with this code after `after` bytes.
    Fail {
        /// Bytes served before failing.
        after: u16,
        /// The error code.
        code: u16,
    },
}

/// The double: answers from `decisions` in turn (OK when there are none) and
/// records what it saw.
#[derive(Debug, Default)]
pub struct ScriptedHandler {
    decisions: Vec<Decision>,
    next: usize,
    /// The decision for the transaction in progress.
    current: Option<(Request, Decision)>,
    /// Bytes served to the engine in the current data-in phase.
    served: u64,
    /// Bytes taken from the engine in the current data-out phase.
    taken: u64,
    /// Every session change the engine reported.
    pub sessions: Vec<Option<u32>>,
    /// Every request dispatched.
    pub requests: Vec<Request>,
    /// Every cancelled request reported.
    pub cancels: Vec<Request>,
}

impl ScriptedHandler {
    /// A double answering with `decisions`, in turn.
    pub fn new(decisions: Vec<Decision>) -> Self {
        ScriptedHandler {
            decisions,
            ..ScriptedHandler::default()
        }
    }

    fn decision_for(&self, request: &Request) -> Decision {
        match &self.current {
            Some((current, decision)) if current == request => *decision,
            _ => panic!("engine asked about {request:?}, which is not the request in progress"),
        }
    }
}

impl Handler for ScriptedHandler {
    fn request(&mut self, request: &Request) -> Reply {
        self.requests.push(*request);
        let decision = match self.decisions.get(self.next) {
            Some(decision) => *decision,
            None => Decision::Respond {
                code: 0x2001,
                params: [0; 5],
                count: 0,
            },
        };
        self.next += 1;
        self.current = Some((*request, decision));
        self.served = 0;
        self.taken = 0;
        match decision {
            Decision::Respond {
                code,
                params,
                count,
            } => {
                let count = usize::from(count) % 6;
                Reply::Respond(Response {
                    code,
                    params: OwnedParams::from_slice(&params[..count]).unwrap_or_default(),
                })
            }
            Decision::DataIn { total, .. } => Reply::DataIn {
                total: u64::from(total),
            },
            Decision::DataOut { .. } => Reply::DataOut,
        }
    }

    fn read_data(
        &mut self,
        request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        let Decision::DataIn { total, reads } = self.decision_for(request) else {
            panic!("read_data for {request:?}, which has no data-in phase");
        };
        assert_eq!(offset, self.served, "read_data offsets must be contiguous");
        assert!(
            offset + buffer.len() as u64 <= u64::from(total),
            "engine asked for bytes past the announced total"
        );
        assert!(!buffer.is_empty(), "read_data with an empty buffer");
        let count = match reads {
            ReadBehaviour::Fill => buffer.len(),
            ReadBehaviour::Short(most) => buffer.len().min(usize::from(most)),
            ReadBehaviour::Overlong => buffer.len() + 17,
            ReadBehaviour::Fail { after, code } => {
                if offset >= u64::from(after) {
                    return Err(code);
                }
                buffer.len().min(usize::from(after) - offset as usize)
            }
        };
        for (i, byte) in buffer.iter_mut().take(count).enumerate() {
            *byte = (offset as usize + i) as u8;
        }
        // The engine must count no more than the buffer's length.
        self.served += count.min(buffer.len()) as u64;
        Ok(count)
    }

    fn write_data(&mut self, request: &Request, offset: u64, chunk: &[u8]) -> Result<(), u16> {
        let Decision::DataOut { fail, .. } = self.decision_for(request) else {
            panic!("write_data for {request:?}, which has no data-out phase");
        };
        assert_eq!(offset, self.taken, "write_data offsets must be contiguous");
        self.taken += chunk.len() as u64;
        match fail {
            Some(code) => Err(code),
            None => Ok(()),
        }
    }

    fn data_out_done(&mut self, request: &Request) -> Response {
        match self.decision_for(request) {
            Decision::DataOut { done, .. } => Response::code(done),
            // The engine drains data the handler refused; it answers with
            // the refusal, never by asking here.
            other => panic!("data_out_done for {request:?} decided as {other:?}"),
        }
    }

    fn data_in_done(&mut self, request: &Request) -> Response {
        let Decision::DataIn { total, .. } = self.decision_for(request) else {
            panic!("data_in_done for {request:?}, which has no data-in phase");
        };
        assert_eq!(
            self.served,
            u64::from(total),
            "data_in_done before all data was read"
        );
        Response::OK
    }

    fn cancelled(&mut self, request: &Request) {
        // The engine also reports cancels of requests it answered itself
        // (OpenSession, or a refused request whose PTP/IP data it drains),
        // so any request may be named here.
        self.cancels.push(*request);
    }

    fn session_changed(&mut self, session_id: Option<u32>) {
        self.sessions.push(session_id);
    }
}

//! The client: one transaction at a time through the initiator engine,
//! data streamed through the caller's buffer.

use super::{Channel, ClientError, Clock, DataError, DataSink, DataSource, SliceSink};
use crate::Status;
use crate::buffer::shift_to_front;
use crate::codes::DataDirection;
use crate::framer::Transport;
use crate::initiator::{Initiator, InitiatorError, Received};
use crate::message::{Message, OwnedParams};
use core::fmt;

/// Room for any request, data-phase header or cancel request.
const HEAD_LEN: usize = 64;

/// A response, copied out of the bytes that carried it.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response {
    /// Response code (0x2001 OK).
    pub code: u16,
    /// The transaction it answers.
    pub transaction_id: u32,
    /// Up to five parameters.
    pub params: OwnedParams,
}

impl Response {
    /// Whether the code is OK (0x2001).
    pub const fn is_ok(&self) -> bool {
        self.code == crate::responder::response::OK
    }

    /// The response of `operation` when its code is OK; any other code as
    /// [`ClientError::Response`].
    pub fn ok_for<E>(self, operation: u16) -> Result<Response, ClientError<E>> {
        match self.is_ok() {
            true => Ok(self),
            false => Err(ClientError::Response {
                operation,
                code: self.code,
            }),
        }
    }

    /// Parameter `index`, or 0 when absent.
    pub fn param(&self, index: usize) -> u32 {
        self.params.get(index)
    }

    fn from_message(message: &Message<'_>) -> Self {
        Response {
            code: message.code,
            transaction_id: message.transaction_id,
            params: message.to_owned_params(),
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "0x{:04X} tid {} {:?}",
            self.code,
            self.transaction_id,
            self.params.as_slice()
        )
    }
}

/// A piece of the reply for the sink, or the response.
enum Piece {
    /// The data phase starts; its length when the responder said.
    DataStart(Option<u64>),
    /// Payload bytes: `buffer[start..end]`.
    Data { start: usize, end: usize },
    /// The response: the transaction is over.
    Done(Response),
}

/// What one step of the receive loop found.
enum Step {
    Piece(Piece),
    Continue,
    Protocol(InitiatorError),
    Need(usize),
}

/// The initiator driver: a [`Channel`], a [`Clock`] and a receive buffer
/// `B` the caller owns (`&mut [u8]`, `[u8; N]`, a `Vec<u8>`).
///
/// The buffer bounds the largest unit that must be held whole (a response,
/// a PTP/IP packet header) and sets the size of data-out chunks and of USB
/// reads: 512 bytes at the least, 256 KiB and more for speed over USB.
pub struct Client<C, K, B> {
    channel: C,
    clock: K,
    buffer: B,
    initiator: Initiator,
    /// Unconsumed received bytes are `buffer[start..end]`.
    start: usize,
    end: usize,
    /// The last read ended a USB transfer with a short packet.
    end_of_transfer: bool,
    /// How long a transaction (or the drain after a cancel) may stall.
    timeout_ms: u64,
}

impl<C: Channel, K: Clock, B: AsMut<[u8]>> Client<C, K, B> {
    /// A client without a session.
    pub fn new(channel: C, clock: K, buffer: B) -> Self {
        let initiator = Initiator::new(channel.transport());
        Client {
            channel,
            clock,
            buffer,
            initiator,
            start: 0,
            end: 0,
            end_of_transfer: false,
            timeout_ms: crate::initiator::DEFAULT_TIMEOUT_MS,
        }
    }

    /// The engine (session id, transaction ids).
    pub const fn initiator(&self) -> &Initiator {
        &self.initiator
    }

    /// The open session, if any.
    pub const fn session_id(&self) -> Option<u32> {
        self.initiator.session_id()
    }

    /// The transaction id the next request will use.
    pub const fn next_transaction_id(&self) -> u32 {
        self.initiator.next_transaction_id()
    }

    /// Sets how long a transaction may go without progress.
    pub fn set_timeout_ms(&mut self, timeout_ms: u64) {
        self.timeout_ms = timeout_ms;
        self.initiator.set_timeout_ms(timeout_ms);
    }

    /// How long a transaction may go without progress.
    pub const fn timeout_ms(&self) -> u64 {
        self.timeout_ms
    }

    /// The transport's framing.
    pub fn transport(&self) -> Transport {
        self.channel.transport()
    }

    /// The channel.
    pub const fn channel(&self) -> &C {
        &self.channel
    }

    /// The channel, to reach transport-specific calls.
    pub fn channel_mut(&mut self) -> &mut C {
        &mut self.channel
    }

    /// The clock.
    pub const fn clock(&self) -> &K {
        &self.clock
    }

    /// Forgets the session and anything received (after a device reset or
    /// a reconnect).
    pub fn reset(&mut self) {
        self.initiator.reset();
        self.clear_input();
    }

    /// Takes the client apart.
    pub fn into_parts(self) -> (C, K, B) {
        (self.channel, self.clock, self.buffer)
    }

    /// Runs one transaction: sends the request for `code` with `params`,
    /// then, when `direction` is `Out`, `source`'s data; hands any data
    /// that comes back to `sink`; returns the response, whatever its code.
    ///
    /// `In` accepts a data phase or none; `None` refuses one. A sink or
    /// source error cancels the transaction ([`ClientError::Sink`],
    /// [`ClientError::Source`]); so does a timeout.
    ///
    /// Only the calls into `source` and `sink` are generic: framing,
    /// reading, timeouts and cancelling are one copy per channel type,
    /// shared by every operation.
    pub async fn transaction<S: DataSource, D: DataSink>(
        &mut self,
        code: u16,
        params: &[u32],
        direction: DataDirection,
        mut source: S,
        mut sink: D,
    ) -> Result<Response, ClientError<C::Error>> {
        self.send_request(code, params, direction).await?;
        if direction == DataDirection::Out
            && let Err(error) = self.send_data(&mut source).await
        {
            self.give_up(&error).await;
            return Err(error);
        }
        self.receive(&mut sink).await
    }

    /// [`Client::transaction`] without data; a response other than OK is
    /// an error.
    pub async fn execute(
        &mut self,
        code: u16,
        params: &[u32],
    ) -> Result<Response, ClientError<C::Error>> {
        let response = self
            .transaction_in(code, params, false, super::NoData)
            .await?;
        response.ok_for(code)
    }

    /// A data-in transaction into `sink`; a response other than OK is an
    /// error.
    pub async fn data_in<D: DataSink>(
        &mut self,
        code: u16,
        params: &[u32],
        sink: D,
    ) -> Result<Response, ClientError<C::Error>> {
        let response = self.transaction_in(code, params, true, sink).await?;
        response.ok_for(code)
    }

    /// A data-out transaction from `source`; a response other than OK is
    /// an error.
    pub async fn data_out<S: DataSource>(
        &mut self,
        code: u16,
        params: &[u32],
        source: S,
    ) -> Result<Response, ClientError<C::Error>> {
        let response = self
            .transaction(code, params, DataDirection::Out, source, super::NoData)
            .await?;
        response.ok_for(code)
    }

    /// A data-in transaction collected into `out`; returns the bytes.
    pub async fn data_in_to<'o>(
        &mut self,
        code: u16,
        params: &[u32],
        out: &'o mut [u8],
    ) -> Result<&'o [u8], ClientError<C::Error>> {
        let mut sink = SliceSink::new(&mut *out);
        self.data_in(code, params, &mut sink).await?;
        let len = sink.len();
        let out: &'o [u8] = out;
        Ok(out.get(..len).unwrap_or(&[]))
    }

    /// [`Client::transaction`] without a data-out phase: direction `In`
    /// (a data phase into `sink`, or none) when `data_in`, else `None`
    /// (no data phase accepted); returns the response, whatever its code.
    ///
    /// An async fn keeps the code and the state of every await point it
    /// has, taken or not: this one has no data-out phase to carry, so its
    /// code and its future are smaller than `transaction`'s.
    pub async fn transaction_in<D: DataSink>(
        &mut self,
        code: u16,
        params: &[u32],
        data_in: bool,
        mut sink: D,
    ) -> Result<Response, ClientError<C::Error>> {
        let direction = match data_in {
            true => DataDirection::In,
            false => DataDirection::None,
        };
        self.send_request(code, params, direction).await?;
        self.receive(&mut sink).await
    }

    /// Sends the request and ends its transfer.
    async fn send_request(
        &mut self,
        code: u16,
        params: &[u32],
        direction: DataDirection,
    ) -> Result<(), ClientError<C::Error>> {
        self.clear_input();
        let mut head = [0u8; HEAD_LEN];
        let now = self.clock.now_ms();
        let len = self
            .initiator
            .begin(code, params, direction, &mut head, now)?;
        self.send(head.get(..len)).await?;
        self.end_transfer().await
    }

    async fn send(&mut self, bytes: Option<&[u8]>) -> Result<(), ClientError<C::Error>> {
        self.channel
            .write(bytes.unwrap_or(&[]))
            .await
            .map_err(ClientError::Channel)
    }

    async fn end_transfer(&mut self) -> Result<(), ClientError<C::Error>> {
        self.channel
            .end_transfer()
            .await
            .map_err(ClientError::Channel)
    }

    /// The data-out phase: the header, then the source's chunks, each
    /// through the buffer.
    async fn send_data<S: DataSource>(
        &mut self,
        source: &mut S,
    ) -> Result<(), ClientError<C::Error>> {
        let total = source.total();
        self.send_data_header(total).await?;
        let mut sent = 0u64;
        while sent < total {
            let buffer = self.buffer.as_mut();
            let want = usize::try_from(total - sent)
                .unwrap_or(usize::MAX)
                .min(buffer.len());
            let target = buffer.get_mut(..want).unwrap_or(&mut []);
            let count = source
                .fill(target)
                .await
                .map_err(ClientError::Source)?
                .min(want);
            if count == 0 {
                return Err(ClientError::Source(DataError::Ended { sent }));
            }
            self.send_data_chunk(count).await?;
            sent += count as u64;
        }
        self.end_transfer().await
    }

    /// The data phase's header, announcing `total` bytes.
    async fn send_data_header(&mut self, total: u64) -> Result<(), ClientError<C::Error>> {
        let mut head = [0u8; HEAD_LEN];
        let len = self.initiator.data_out_start(total, &mut head)?;
        self.send(head.get(..len)).await
    }

    /// The first `count` bytes of the buffer as the next data chunk, with
    /// the header the framing wants before it.
    async fn send_data_chunk(&mut self, count: usize) -> Result<(), ClientError<C::Error>> {
        let mut head = [0u8; HEAD_LEN];
        let len = self.initiator.data_out_chunk(count, &mut head)?;
        self.send(head.get(..len)).await?;
        let chunk = self.buffer.as_mut().get(..count).unwrap_or(&[]);
        self.channel
            .write(chunk)
            .await
            .map_err(ClientError::Channel)
    }

    /// After `error` in the data-out phase: a failed source cancels the
    /// transaction, anything else abandons it.
    async fn give_up(&mut self, error: &ClientError<C::Error>) {
        if matches!(error, ClientError::Source(_)) {
            self.abort().await;
        } else {
            self.abandon().await;
        }
    }

    /// Hands the reply to `sink` until the response.
    async fn receive<D: DataSink>(
        &mut self,
        sink: &mut D,
    ) -> Result<Response, ClientError<C::Error>> {
        loop {
            let taken = match self.next_piece().await? {
                Piece::Done(response) => return Ok(response),
                Piece::DataStart(total) => sink.start(total),
                Piece::Data { start, end } => {
                    let bytes = self.buffer.as_mut().get(start..end).unwrap_or(&[]);
                    sink.write(bytes).await
                }
            };
            if let Err(error) = taken {
                self.abort().await;
                return Err(ClientError::Sink(error));
            }
        }
    }

    /// The next piece of the reply, reading as much as it takes; a
    /// protocol error, a timeout or a failed read abandons the transaction.
    async fn next_piece(&mut self) -> Result<Piece, ClientError<C::Error>> {
        loop {
            let error = match self.step() {
                Step::Piece(piece) => return Ok(piece),
                Step::Continue => continue,
                Step::Protocol(error) => ClientError::Protocol(error),
                Step::Need(needed) => match self.fill(needed).await {
                    Ok(()) => continue,
                    Err(error) => error,
                },
            };
            self.abandon().await;
            return Err(error);
        }
    }

    /// Recognises the next unit of the buffered input.
    fn step(&mut self) -> Step {
        let now = self.clock.now_ms();
        let input = self
            .buffer
            .as_mut()
            .get(self.start..self.end)
            .unwrap_or(&[]);
        let (received, used) = match self.initiator.receive(input, now) {
            Err(error) => return Step::Protocol(error),
            Ok(Status::Incomplete { needed }) => return Step::Need(needed),
            Ok(Status::Complete(complete)) => complete,
        };
        let unit_end = self.start + used;
        let step = match received {
            Received::DataStart { total } => Step::Piece(Piece::DataStart(total)),
            // The payload is the end of the unit just framed.
            Received::Data(bytes) => Step::Piece(Piece::Data {
                start: unit_end.saturating_sub(bytes.len()),
                end: unit_end,
            }),
            Received::Response(message) => {
                Step::Piece(Piece::Done(Response::from_message(&message)))
            }
            Received::DataEnd | Received::Discarded => Step::Continue,
        };
        self.start = unit_end;
        step
    }

    /// Makes room and reads more input; `needed` is the size of the unit
    /// being framed, counted from `start`.
    async fn fill(&mut self, needed: usize) -> Result<(), ClientError<C::Error>> {
        if self.start == self.end && self.end_of_transfer {
            // The short packet ends a data container of unknown length.
            self.end_of_transfer = false;
            self.initiator.end_of_transfer();
            return Ok(());
        }
        self.end_of_transfer = false;
        let buffer = self.buffer.as_mut();
        if self.start > 0 {
            self.end = shift_to_front(buffer, self.start, self.end);
            self.start = 0;
        }
        if needed > buffer.len() {
            return Err(ClientError::BufferTooSmall {
                needed,
                available: buffer.len(),
            });
        }
        self.initiator.poll_timeout(self.clock.now_ms())?;
        let free = buffer.get_mut(self.end..).unwrap_or(&mut []);
        let room = free.len();
        let chunk = self
            .channel
            .read(free)
            .await
            .map_err(ClientError::Channel)?;
        self.end += chunk.len.min(room);
        self.end_of_transfer = chunk.end_of_transfer;
        Ok(())
    }

    /// Cancels the transaction in progress and, on PTP/IP, drains its
    /// remains up to the cancelled response (within the timeout), so the
    /// next transaction starts clean.
    async fn abort(&mut self) {
        if !self.send_cancel().await {
            return;
        }
        match self.channel.transport() {
            Transport::Usb => self.clear_input(),
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => self.drain_cancelled().await,
        }
    }

    /// Gives up the transaction in progress after a protocol error or a
    /// timeout: the cancel request goes out, the input is dropped.
    async fn abandon(&mut self) {
        self.send_cancel().await;
        self.clear_input();
    }

    /// Emits and sends the cancel request; whether it went out.
    async fn send_cancel(&mut self) -> bool {
        let mut request = [0u8; HEAD_LEN];
        let Ok(len) = self.initiator.cancel(&mut request) else {
            return false;
        };
        let request = request.get(..len).unwrap_or(&[]);
        self.channel.cancel(request).await.is_ok()
    }

    #[cfg(feature = "ptpip")]
    async fn drain_cancelled(&mut self) {
        let mut last_progress = self.clock.now_ms();
        while self.initiator.cancel_pending() {
            match self.step() {
                Step::Continue | Step::Piece(Piece::DataStart(_) | Piece::Data { .. }) => {
                    last_progress = self.clock.now_ms();
                }
                Step::Need(needed) => {
                    let idle = self.clock.now_ms().saturating_sub(last_progress);
                    if idle > self.timeout_ms || self.fill(needed).await.is_err() {
                        break;
                    }
                }
                Step::Piece(Piece::Done(_)) | Step::Protocol(_) => break,
            }
        }
        if self.initiator.cancel_pending() {
            self.clear_input();
        }
    }

    fn clear_input(&mut self) {
        self.initiator.reset_framing();
        self.start = 0;
        self.end = 0;
        self.end_of_transfer = false;
    }
}

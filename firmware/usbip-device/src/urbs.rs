//! The device's side of the bus: the URBs the host submitted, queued per
//! endpoint, and the packets the device stack moves through them.
//!
//! A URB carries a whole transfer, the device stack moves packets; this is
//! where one becomes the other, as a host controller would:
//! - bulk/interrupt IN: each packet the device writes goes into the oldest
//!   URB of the endpoint; the URB completes on a short packet (a ZLP too)
//!   or when it is full (more than fits is `-EOVERFLOW`, a short one with
//!   `URB_SHORT_NOT_OK` is `-EREMOTEIO`). With no URB queued, the device's
//!   write waits, as a real endpoint NAKs.
//! - bulk OUT: the URB's data is handed to the device's reads in packets of
//!   the endpoint's size (a ZLP for an empty URB, and after whole packets
//!   when `URB_ZERO_PACKET` asks for it); the URB completes when its last
//!   packet is read.
//! - control (endpoint 0): one transfer at a time, in submit order; its
//!   SETUP packet goes to the control pipe, the data stage is the URB's
//!   data, and accept/reject completes it (a reject is a STALL, `-EPIPE`).
//! - unlink: a queued or partly done URB is dropped and answered
//!   `-ECONNRESET`; one that already completed is answered 0. Once an
//!   unlink is answered, no RET_SUBMIT for that URB follows (vhci-hcd would
//!   take it for a broken connection).
//!
//! The replies accumulate in [`Urbs::take_replies`] for the connection to
//! send. Nothing here blocks: the async driver in [`driver`](crate::driver)
//! waits on it with the wakers it keeps.

use crate::protocol::{
    self, Command, Direction, FLAG_SHORT_NOT_OK, FLAG_ZERO_PACKET, Submit, Unlink, status,
};
use embassy_usb_driver::{EndpointAddress, EndpointError, Event};
use std::collections::{BTreeMap, VecDeque};
use std::task::Waker;

/// The control pipe's max packet size (full speed).
pub const CONTROL_MAX_PACKET_SIZE: usize = 64;

/// IN buffer reserved up front, whatever length a URB claims.
const IN_RESERVE: usize = 64 * 1024;

/// A URB in progress.
#[derive(Debug)]
struct Transfer {
    submit: Submit,
    /// OUT: the data to deliver; IN: what the device sent so far.
    data: Vec<u8>,
    /// OUT: bytes delivered so far.
    offset: usize,
    /// OUT: a zero-length packet still to deliver at the end.
    zlp_due: bool,
}

impl Transfer {
    fn new(submit: Submit, data: Vec<u8>, max_packet: usize) -> Self {
        let zlp_due = match submit.direction {
            Direction::Out => {
                data.is_empty()
                    || (submit.flags & FLAG_ZERO_PACKET != 0
                        && data.len().is_multiple_of(max_packet.max(1)))
            }
            Direction::In => false,
        };
        let data = match submit.direction {
            Direction::Out => data,
            Direction::In => Vec::with_capacity(length(&submit).min(IN_RESERVE)),
        };
        Transfer {
            submit,
            data,
            offset: 0,
            zlp_due,
        }
    }
}

/// A transfer's length in bytes.
fn length(submit: &Submit) -> usize {
    usize::try_from(submit.length).unwrap_or(usize::MAX)
}

#[derive(Debug)]
struct EndpointState {
    max_packet: usize,
    enabled: bool,
    stalled: bool,
    queue: VecDeque<Transfer>,
}

/// Counts for the summary at the end of a connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// URBs submitted.
    pub submitted: u64,
    /// URBs completed (RET_SUBMIT sent).
    pub completed: u64,
    /// URBs that completed with an error status.
    pub failed: u64,
    /// Unlinks received.
    pub unlinks: u64,
    /// Bytes the device received (OUT data delivered).
    pub bytes_out: u64,
    /// Bytes the device sent (IN data returned).
    pub bytes_in: u64,
}

/// The URB queues of one attached device; see the module docs.
#[derive(Debug)]
pub struct Urbs {
    endpoints: BTreeMap<u8, EndpointState>,
    control_queue: VecDeque<Transfer>,
    control: Option<Transfer>,
    events: VecDeque<Event>,
    replies: Vec<u8>,
    wakers: Vec<Waker>,
    counts: Counts,
    verbose: bool,
}

impl Urbs {
    /// Queues for a device just plugged in: power, then a bus reset (the
    /// virtual port's own reset never reaches the device). `verbose` logs
    /// every URB to standard error.
    pub fn new(verbose: bool) -> Self {
        Urbs {
            endpoints: BTreeMap::new(),
            control_queue: VecDeque::new(),
            control: None,
            events: VecDeque::from([Event::PowerDetected, Event::Reset]),
            replies: Vec::new(),
            wakers: Vec::new(),
            counts: Counts::default(),
            verbose,
        }
    }

    /// Adds an endpoint (disabled until the device enables it).
    pub fn add_endpoint(&mut self, address: EndpointAddress, max_packet: u16) {
        self.endpoints.insert(
            u8::from(address),
            EndpointState {
                max_packet: usize::from(max_packet),
                enabled: false,
                stalled: false,
                queue: VecDeque::new(),
            },
        );
    }

    /// Takes in a command from the host; `data` is the OUT data that
    /// followed its header.
    pub fn apply(&mut self, command: Command, data: Vec<u8>) {
        match command {
            Command::Submit(submit) => self.submit(submit, data),
            Command::Unlink(unlink) => self.unlink(unlink),
        }
        self.wake();
    }

    fn submit(&mut self, submit: Submit, data: Vec<u8>) {
        self.counts.submitted += 1;
        if self.verbose {
            eprintln!(
                "usbip-device: submit #{} ep{} {:?} {} bytes flags {:#x} setup {:02x?}",
                submit.seqnum,
                submit.endpoint,
                submit.direction,
                submit.length,
                submit.flags,
                submit.setup
            );
        }
        if submit.endpoint == 0 {
            let transfer = Transfer::new(submit, data, CONTROL_MAX_PACKET_SIZE);
            self.control_queue.push_back(transfer);
            return;
        }
        let address = EndpointAddress::from_parts(
            usize::from(submit.endpoint),
            match submit.direction {
                Direction::Out => embassy_usb_driver::Direction::Out,
                Direction::In => embassy_usb_driver::Direction::In,
            },
        );
        match self.endpoints.get_mut(&u8::from(address)) {
            Some(endpoint) if !endpoint.stalled => {
                let transfer = Transfer::new(submit, data, endpoint.max_packet);
                endpoint.queue.push_back(transfer);
            }
            // No such endpoint, or halted: the host sees a STALL.
            _ => {
                let transfer = Transfer::new(submit, Vec::new(), 1);
                self.complete(transfer, status::STALL);
            }
        }
    }

    fn unlink(&mut self, unlink: Unlink) {
        self.counts.unlinks += 1;
        let victim = unlink.victim;
        let mut found = self
            .control
            .take_if(|transfer| transfer.submit.seqnum == victim)
            .is_some();
        let queues = self
            .endpoints
            .values_mut()
            .map(|endpoint| &mut endpoint.queue)
            .chain([&mut self.control_queue]);
        for queue in queues {
            let before = queue.len();
            queue.retain(|transfer| transfer.submit.seqnum != victim);
            found |= queue.len() != before;
        }
        let status = if found { status::UNLINKED } else { status::OK };
        if self.verbose {
            eprintln!("usbip-device: unlink #{victim}: {status}");
        }
        protocol::ret_unlink(&mut self.replies, &unlink, status);
    }

    /// Sends the RET_SUBMIT of a finished transfer.
    fn complete(&mut self, transfer: Transfer, status: i32) {
        let (done, data) = match transfer.submit.direction {
            Direction::In => {
                self.counts.bytes_in += transfer.data.len() as u64;
                (transfer.data.len(), transfer.data.as_slice())
            }
            Direction::Out => {
                self.counts.bytes_out += transfer.offset as u64;
                (transfer.offset, &[][..])
            }
        };
        self.counts.completed += 1;
        if status != status::OK {
            self.counts.failed += 1;
        }
        if self.verbose {
            eprintln!(
                "usbip-device: complete #{} ep{}: status {status}, {done} bytes",
                transfer.submit.seqnum, transfer.submit.endpoint
            );
        }
        let done = u32::try_from(done).unwrap_or(u32::MAX);
        protocol::ret_submit(&mut self.replies, &transfer.submit, status, done, data);
    }

    /// The replies to send, in order.
    pub fn take_replies(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.replies)
    }

    /// What happened so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Registers a waker to wake on the next change.
    pub fn register(&mut self, waker: &Waker) {
        if !self.wakers.iter().any(|known| known.will_wake(waker)) {
            self.wakers.push(waker.clone());
        }
    }

    /// Wakes every waiting future (the state changed).
    pub fn wake(&mut self) {
        for waker in self.wakers.drain(..) {
            waker.wake();
        }
    }

    /// The next bus event; a reset disables the endpoints, as hardware does.
    pub fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front()?;
        if event == Event::Reset {
            self.disable_all();
        }
        Some(event)
    }

    /// Disables every endpoint (bus reset, bus disabled).
    pub fn disable_all(&mut self) {
        for endpoint in self.endpoints.values_mut() {
            endpoint.enabled = false;
        }
    }

    /// Enables or disables an endpoint.
    pub fn set_enabled(&mut self, address: EndpointAddress, enabled: bool) {
        if let Some(endpoint) = self.endpoints.get_mut(&u8::from(address)) {
            endpoint.enabled = enabled;
        }
    }

    /// Whether an endpoint is enabled.
    pub fn is_enabled(&self, address: EndpointAddress) -> bool {
        self.endpoints
            .get(&u8::from(address))
            .is_some_and(|endpoint| endpoint.enabled)
    }

    /// Halts an endpoint (its queued URBs complete with a STALL) or clears
    /// the halt.
    pub fn set_stalled(&mut self, address: EndpointAddress, stalled: bool) {
        let Some(endpoint) = self.endpoints.get_mut(&u8::from(address)) else {
            return;
        };
        endpoint.stalled = stalled;
        let halted: Vec<Transfer> = if stalled {
            endpoint.queue.drain(..).collect()
        } else {
            Vec::new()
        };
        for transfer in halted {
            self.complete(transfer, status::STALL);
        }
    }

    /// Whether an endpoint is halted.
    pub fn is_stalled(&self, address: EndpointAddress) -> bool {
        self.endpoints
            .get(&u8::from(address))
            .is_some_and(|endpoint| endpoint.stalled)
    }

    /// One packet for an OUT endpoint into `buffer`: its length, or `None`
    /// while no URB is queued.
    pub fn read(
        &mut self,
        address: EndpointAddress,
        buffer: &mut [u8],
    ) -> Option<Result<usize, EndpointError>> {
        let Some(endpoint) = self.endpoints.get_mut(&u8::from(address)) else {
            return Some(Err(EndpointError::Disabled));
        };
        if !endpoint.enabled {
            return Some(Err(EndpointError::Disabled));
        }
        let max_packet = endpoint.max_packet.max(1);
        let transfer = endpoint.queue.front_mut()?;
        let packet = transfer
            .data
            .get(transfer.offset..)
            .unwrap_or_default()
            .chunks(max_packet)
            .next()
            .unwrap_or_default();
        let len = packet.len();
        let copied = packet.len().min(buffer.len());
        if let (Some(target), Some(source)) = (buffer.get_mut(..copied), packet.get(..copied)) {
            target.copy_from_slice(source);
        }
        transfer.offset += len;
        let ended = if len == 0 {
            transfer.zlp_due = false;
            true
        } else {
            transfer.offset >= transfer.data.len() && !transfer.zlp_due
        };
        if ended && let Some(transfer) = endpoint.queue.pop_front() {
            self.complete(transfer, status::OK);
        }
        self.wake();
        Some(if copied < len {
            Err(EndpointError::BufferOverflow)
        } else {
            Ok(len)
        })
    }

    /// One packet from an IN endpoint: `None` while no URB is queued.
    pub fn write(
        &mut self,
        address: EndpointAddress,
        packet: &[u8],
    ) -> Option<Result<(), EndpointError>> {
        let Some(endpoint) = self.endpoints.get_mut(&u8::from(address)) else {
            return Some(Err(EndpointError::Disabled));
        };
        if !endpoint.enabled {
            return Some(Err(EndpointError::Disabled));
        }
        if packet.len() > endpoint.max_packet {
            return Some(Err(EndpointError::BufferOverflow));
        }
        let max_packet = endpoint.max_packet;
        let transfer = endpoint.queue.front_mut()?;
        let room = length(&transfer.submit).saturating_sub(transfer.data.len());
        let fits = packet.get(..room).unwrap_or(packet);
        transfer.data.extend_from_slice(fits);
        let full = transfer.data.len() >= length(&transfer.submit);
        let short = packet.len() < max_packet;
        let status = if fits.len() < packet.len() {
            Some(status::OVERFLOW)
        } else if short && !full && transfer.submit.flags & FLAG_SHORT_NOT_OK != 0 {
            Some(status::SHORT)
        } else if short || full {
            Some(status::OK)
        } else {
            None
        };
        if let Some(status) = status
            && let Some(transfer) = endpoint.queue.pop_front()
        {
            self.complete(transfer, status);
        }
        self.wake();
        Some(Ok(()))
    }

    /// The next SETUP packet, once the control transfer before it ended.
    pub fn take_setup(&mut self) -> Option<[u8; 8]> {
        if self.control.is_some() {
            return None;
        }
        let transfer = self.control_queue.pop_front()?;
        let setup = transfer.submit.setup;
        self.control = Some(transfer);
        Some(setup)
    }

    /// The next packet of the control OUT data stage.
    pub fn control_out(&mut self, buffer: &mut [u8]) -> Result<usize, EndpointError> {
        let transfer = self.control.as_mut().ok_or(EndpointError::Disabled)?;
        let packet = transfer
            .data
            .get(transfer.offset..)
            .unwrap_or_default()
            .chunks(CONTROL_MAX_PACKET_SIZE)
            .next()
            .unwrap_or_default();
        let target = buffer
            .get_mut(..packet.len())
            .ok_or(EndpointError::BufferOverflow)?;
        target.copy_from_slice(packet);
        transfer.offset += packet.len();
        Ok(packet.len())
    }

    /// A packet of the control IN data stage; the last one completes the
    /// transfer.
    pub fn control_in(&mut self, packet: &[u8], last: bool) -> Result<(), EndpointError> {
        let transfer = self.control.as_mut().ok_or(EndpointError::Disabled)?;
        let room = length(&transfer.submit).saturating_sub(transfer.data.len());
        transfer
            .data
            .extend_from_slice(packet.get(..room).unwrap_or(packet));
        if last {
            self.finish_control(status::OK);
        }
        Ok(())
    }

    /// Ends the control transfer: accepted (OK) or rejected (STALL).
    pub fn finish_control(&mut self, status: i32) {
        if let Some(mut transfer) = self.control.take() {
            if transfer.submit.direction == Direction::Out && status == status::OK {
                transfer.offset = transfer.data.len();
            }
            self.complete(transfer, status);
        }
        self.wake();
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::protocol::HEADER_LEN;

    const BULK_IN: u8 = 0x81;
    const BULK_OUT: u8 = 0x01;

    fn urbs() -> Urbs {
        let mut urbs = Urbs::new(false);
        for address in [BULK_IN, BULK_OUT] {
            urbs.add_endpoint(address.into(), 64);
            urbs.set_enabled(address.into(), true);
        }
        urbs
    }

    fn submit(seqnum: u32, address: u8, length: u32, flags: u32) -> Submit {
        Submit {
            seqnum,
            direction: if address & 0x80 != 0 {
                Direction::In
            } else {
                Direction::Out
            },
            endpoint: address & 0x0f,
            flags,
            length,
            iso_packets: 0,
            setup: [0; 8],
        }
    }

    /// (seqnum, status, actual length, data) of each reply.
    fn replies(urbs: &mut Urbs) -> Vec<(u32, i32, u32, Vec<u8>)> {
        let bytes = urbs.take_replies();
        let mut rest = bytes.as_slice();
        let mut found = Vec::new();
        while !rest.is_empty() {
            let word = |at: usize| u32::from_be_bytes(rest[at..at + 4].try_into().unwrap());
            let (command, seqnum, status, len) = (word(0), word(4), word(20) as i32, word(24));
            let data_len = if command == 3 { len as usize } else { 0 };
            // OUT replies carry no data: only IN endpoints' replies do here.
            let data_len = data_len.min(rest.len() - HEADER_LEN);
            found.push((
                seqnum,
                status,
                len,
                rest[HEADER_LEN..HEADER_LEN + data_len].to_vec(),
            ));
            rest = &rest[HEADER_LEN + data_len..];
        }
        found
    }

    #[test]
    fn in_urb_completes_on_a_short_packet_or_when_full() {
        let mut urbs = urbs();
        assert_eq!(urbs.write(BULK_IN.into(), &[1; 64]), None, "no URB: waits");
        urbs.apply(Command::Submit(submit(1, BULK_IN, 200, 0)), Vec::new());
        urbs.apply(Command::Submit(submit(2, BULK_IN, 128, 0)), Vec::new());
        assert_eq!(urbs.write(BULK_IN.into(), &[1; 64]), Some(Ok(())));
        assert!(replies(&mut urbs).is_empty());
        assert_eq!(urbs.write(BULK_IN.into(), &[2; 10]), Some(Ok(())));
        let mut expected = vec![1; 64];
        expected.extend([2; 10]);
        assert_eq!(replies(&mut urbs), vec![(1, 0, 74, expected)]);
        urbs.write(BULK_IN.into(), &[3; 64]);
        urbs.write(BULK_IN.into(), &[4; 64]);
        let done = replies(&mut urbs);
        assert_eq!(done.len(), 1);
        assert_eq!((done[0].0, done[0].1, done[0].2), (2, 0, 128));
    }

    #[test]
    fn in_urb_errors_overflow_and_short_not_ok() {
        let mut urbs = urbs();
        urbs.apply(Command::Submit(submit(1, BULK_IN, 10, 0)), Vec::new());
        urbs.write(BULK_IN.into(), &[9; 64]);
        assert_eq!(replies(&mut urbs), vec![(1, -75, 10, vec![9; 10])]);
        urbs.apply(
            Command::Submit(submit(2, BULK_IN, 512, FLAG_SHORT_NOT_OK)),
            Vec::new(),
        );
        urbs.write(BULK_IN.into(), &[]);
        assert_eq!(replies(&mut urbs), vec![(2, -121, 0, Vec::new())]);
        assert_eq!(
            urbs.write(BULK_IN.into(), &[0; 65]),
            Some(Err(EndpointError::BufferOverflow))
        );
    }

    #[test]
    fn out_urb_is_read_in_packets_with_zlps_where_due() {
        let mut urbs = urbs();
        let mut buffer = [0u8; 64];
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), None);
        let data: Vec<u8> = (0..=99).collect();
        urbs.apply(Command::Submit(submit(1, BULK_OUT, 100, 0)), data.clone());
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), Some(Ok(64)));
        assert_eq!(buffer[..], data[..64]);
        assert!(replies(&mut urbs).is_empty());
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), Some(Ok(36)));
        assert_eq!(buffer[..36], data[64..]);
        assert_eq!(replies(&mut urbs), vec![(1, 0, 100, Vec::new())]);

        // Whole packets with URB_ZERO_PACKET: a ZLP after them.
        urbs.apply(
            Command::Submit(submit(2, BULK_OUT, 64, FLAG_ZERO_PACKET)),
            vec![7; 64],
        );
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), Some(Ok(64)));
        assert!(replies(&mut urbs).is_empty());
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), Some(Ok(0)));
        assert_eq!(replies(&mut urbs), vec![(2, 0, 64, Vec::new())]);

        // An empty URB is one ZLP.
        urbs.apply(Command::Submit(submit(3, BULK_OUT, 0, 0)), Vec::new());
        assert_eq!(urbs.read(BULK_OUT.into(), &mut buffer), Some(Ok(0)));
        assert_eq!(replies(&mut urbs), vec![(3, 0, 0, Vec::new())]);
    }

    #[test]
    fn unlink_cancels_a_pending_urb_and_acknowledges_a_finished_one() {
        let mut urbs = urbs();
        urbs.apply(Command::Submit(submit(1, BULK_IN, 512, 0)), Vec::new());
        urbs.write(BULK_IN.into(), &[5; 64]);
        urbs.apply(
            Command::Unlink(Unlink {
                seqnum: 2,
                victim: 1,
            }),
            Vec::new(),
        );
        assert_eq!(replies(&mut urbs), vec![(2, -104, 0, Vec::new())]);
        // Nothing left for the device: its next write waits.
        assert_eq!(urbs.write(BULK_IN.into(), &[5; 10]), None);
        urbs.apply(
            Command::Unlink(Unlink {
                seqnum: 3,
                victim: 1,
            }),
            Vec::new(),
        );
        assert_eq!(replies(&mut urbs), vec![(3, 0, 0, Vec::new())]);
    }

    #[test]
    fn control_transfers_run_one_at_a_time() {
        let mut urbs = urbs();
        let mut get = submit(1, 0x80, 18, 0);
        get.setup = [0x80, 6, 0, 1, 0, 0, 18, 0];
        let mut set = submit(2, 0x00, 6, 0);
        set.setup = [0x21, 0x64, 0, 0, 0, 0, 6, 0];
        urbs.apply(Command::Submit(get), Vec::new());
        urbs.apply(Command::Submit(set), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(urbs.take_setup(), Some(get.setup));
        assert_eq!(urbs.take_setup(), None, "the first is still running");
        urbs.control_in(&[0xAA; 18], true).unwrap();
        assert_eq!(replies(&mut urbs), vec![(1, 0, 18, vec![0xAA; 18])]);
        assert_eq!(urbs.take_setup(), Some(set.setup));
        let mut buffer = [0u8; 64];
        assert_eq!(urbs.control_out(&mut buffer), Ok(6));
        assert_eq!(buffer[..6], [1, 2, 3, 4, 5, 6]);
        urbs.finish_control(status::STALL);
        assert_eq!(replies(&mut urbs), vec![(2, -32, 6, Vec::new())]);
        assert_eq!(urbs.control_in(&[1], true), Err(EndpointError::Disabled));
    }

    #[test]
    fn unknown_or_halted_endpoints_stall_and_reset_disables() {
        let mut urbs = urbs();
        urbs.apply(Command::Submit(submit(1, 0x85, 64, 0)), Vec::new());
        assert_eq!(replies(&mut urbs), vec![(1, -32, 0, Vec::new())]);
        urbs.apply(Command::Submit(submit(2, BULK_IN, 64, 0)), Vec::new());
        urbs.set_stalled(BULK_IN.into(), true);
        assert_eq!(replies(&mut urbs), vec![(2, -32, 0, Vec::new())]);
        assert!(urbs.is_stalled(BULK_IN.into()));
        assert_eq!(urbs.poll_event(), Some(Event::PowerDetected));
        assert_eq!(urbs.poll_event(), Some(Event::Reset));
        assert!(!urbs.is_enabled(BULK_OUT.into()));
        assert_eq!(
            urbs.read(BULK_OUT.into(), &mut [0; 64]),
            Some(Err(EndpointError::Disabled))
        );
    }
}

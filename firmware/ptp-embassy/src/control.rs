//! The Still Image class requests (PIMA 15740 USB SIC 1.0, wIndex = the
//! interface), answered on the control pipe by embassy-usb's [`Handler`]:
//!
//! | request | what the class does |
//! |---|---|
//! | 0x64 Cancel | records the transaction to cancel; the device task cancels it |
//! | 0x65 Get Extended Event Data | the last event sent, its parameters as 4-byte values |
//! | 0x66 Device Reset | records a reset; the device task closes the session and drops any transaction |
//! | 0x67 Get Device Status | Busy (0x2019) while a cancel or reset is pending, then OK (0x2001) |
//!
//! The handler runs inside `UsbDevice::run` and the device task elsewhere,
//! so what they share is behind a critical-section mutex, and the task is
//! woken through a [`Signal`].

use core::cell::Cell;
use core::future::{Future, poll_fn};
use core::task::Poll;
use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::waitqueue::AtomicWaker;
use embassy_usb::Handler;
use embassy_usb::control::{InResponse, OutResponse, Recipient, Request, RequestType};
use embassy_usb::types::InterfaceNumber;
use ptp_core::dataset::{CancelRequest, DeviceStatus, ExtendedEventData};
use ptp_core::event::Event;
use ptp_core::wire::Array;

/// bRequest of Cancel (host to device, 6 bytes of data).
pub const REQ_CANCEL: u8 = 0x64;
/// bRequest of Get Extended Event Data (device to host).
pub const REQ_GET_EXTENDED_EVENT_DATA: u8 = 0x65;
/// bRequest of Device Reset (host to device, no data).
pub const REQ_DEVICE_RESET: u8 = 0x66;
/// bRequest of Get Device Status (device to host).
pub const REQ_GET_DEVICE_STATUS: u8 = 0x67;

/// What the control pipe asked the device task to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Pending {
    /// A Cancel request for this transaction.
    pub cancel: Option<u32>,
    /// A Device Reset request, or a USB bus reset.
    pub reset: bool,
}

impl Pending {
    /// Whether anything is asked.
    pub fn any(&self) -> bool {
        self.cancel.is_some() || self.reset
    }
}

/// State shared by the control handler and the device task.
pub(crate) struct Shared {
    pending: Mutex<CriticalSectionRawMutex, Cell<Pending>>,
    last_event: Mutex<CriticalSectionRawMutex, Cell<Option<Event>>>,
    /// The device task waiting in [`Shared::pending_abort`], woken when
    /// `pending` changes.
    wake: AtomicWaker,
}

impl Shared {
    pub const fn new() -> Self {
        Shared {
            pending: Mutex::new(Cell::new(Pending {
                cancel: None,
                reset: false,
            })),
            last_event: Mutex::new(Cell::new(None)),
            wake: AtomicWaker::new(),
        }
    }

    fn update(&self, change: impl FnOnce(&mut Pending)) {
        self.pending.lock(|cell| {
            let mut pending = cell.get();
            change(&mut pending);
            cell.set(pending);
        });
        self.wake.wake();
    }

    /// Takes what the control pipe asked for, leaving nothing pending.
    pub fn take_pending(&self) -> Pending {
        self.pending.lock(|cell| cell.take())
    }

    /// What the control pipe asked for, left in place.
    pub fn peek_pending(&self) -> Pending {
        self.pending.lock(Cell::get)
    }

    /// Waits until a cancel or reset is pending (one waiter at a time: the
    /// device task). A poll function rather than an `async fn`: it is
    /// raced in every transfer loop, and this is the smaller code.
    pub fn pending_abort(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |cx| {
            // Registered before the check, so a change in between wakes us.
            self.wake.register(cx.waker());
            match self.peek_pending().any() {
                true => Poll::Ready(()),
                false => Poll::Pending,
            }
        })
    }

    /// Records the event last sent (for Get Extended Event Data).
    pub fn set_last_event(&self, event: Event) {
        self.last_event.lock(|cell| cell.set(Some(event)));
    }

    fn last_event(&self) -> Option<Event> {
        self.last_event.lock(Cell::get)
    }

    /// A bus reset or Device Reset: the session ends, and with it the
    /// events not yet sent (the device task drops them on restart).
    pub fn request_reset(&self) {
        self.update(|pending| pending.reset = true);
    }
}

/// The class's control handler: registered with the `Builder` by
/// [`StillImageClass::new`](crate::StillImageClass::new).
pub(crate) struct Control<'a> {
    pub interface: InterfaceNumber,
    pub shared: &'a Shared,
}

impl Control<'_> {
    fn is_mine(&self, request: &Request) -> bool {
        (request.request_type, request.recipient, request.index)
            == (
                RequestType::Class,
                Recipient::Interface,
                u16::from(self.interface.0),
            )
    }
}

impl Handler for Control<'_> {
    fn reset(&mut self) {
        self.shared.request_reset();
    }

    fn configured(&mut self, configured: bool) {
        if !configured {
            self.shared.request_reset();
        }
    }

    fn control_out(&mut self, request: Request, data: &[u8]) -> Option<OutResponse> {
        if !self.is_mine(&request) {
            return None;
        }
        Some(match request.request {
            REQ_CANCEL => match CancelRequest::parse(data) {
                Ok(cancel) => {
                    info!(
                        "class request: cancel transaction {}",
                        cancel.transaction_id
                    );
                    self.shared
                        .update(|pending| pending.cancel = Some(cancel.transaction_id));
                    OutResponse::Accepted
                }
                Err(error) => {
                    warn!("class request: malformed cancel data: {}", error);
                    OutResponse::Rejected
                }
            },
            REQ_DEVICE_RESET => {
                info!("class request: device reset");
                self.shared.request_reset();
                OutResponse::Accepted
            }
            _ => OutResponse::Rejected,
        })
    }

    fn control_in<'a>(&'a mut self, request: Request, buf: &'a mut [u8]) -> Option<InResponse<'a>> {
        if !self.is_mine(&request) {
            return None;
        }
        let written = match request.request {
            REQ_GET_DEVICE_STATUS => {
                let code = if self.shared.peek_pending().any() {
                    DeviceStatus::DEVICE_BUSY
                } else {
                    DeviceStatus::OK
                };
                DeviceStatus {
                    code,
                    params: Array::default(),
                }
                .emit(buf)
            }
            REQ_GET_EXTENDED_EVENT_DATA => match self.shared.last_event() {
                Some(event) => ExtendedEventData::emit_u32(
                    event.code,
                    event.transaction_id,
                    event.params.as_slice(),
                    buf,
                ),
                None => return Some(InResponse::Rejected),
            },
            _ => return Some(InResponse::Rejected),
        };
        Some(match written {
            Ok(len) => InResponse::Accepted(buf.get(..len).unwrap_or(&[])),
            Err(error) => {
                warn!(
                    "class request: reply does not fit the control buffer: {}",
                    error
                );
                InResponse::Rejected
            }
        })
    }
}

//! The loop that runs the device stack against the connection: it applies
//! the host's commands to the [`Urbs`], polls the device's future when
//! something woke it, sends the replies that produced, and sleeps (parks
//! the thread) until the reader or a waker has news. No busy polling: the
//! bridge costs no CPU while the guest is idle.

use crate::connection::{ConnectionError, Incoming};
use crate::driver::Shared;
use crate::urbs::Counts;
use std::future::Future;
use std::io::Write;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::task::{Context, Wake, Waker};
use std::thread::{self, Thread};

/// Wakes the executor's thread.
struct Unpark {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// Runs `device` (a future that never ends: the USB device and the PTP
/// device task) until the connection ends; the counts of a clean end.
pub fn run<F: Future>(
    device: F,
    shared: &Shared,
    incoming: &Receiver<Incoming>,
    replies: &mut impl Write,
) -> Result<Counts, ConnectionError> {
    let unpark = Arc::new(Unpark {
        thread: thread::current(),
        woken: AtomicBool::new(true),
    });
    let waker = Waker::from(unpark.clone());
    let mut context = Context::from_waker(&waker);
    let mut device = pin!(device);
    loop {
        loop {
            match incoming.try_recv() {
                Ok(Incoming::Command(command, data)) => {
                    shared.borrow_mut().apply(command, data);
                }
                Ok(Incoming::Closed) => return Ok(shared.borrow().counts()),
                Ok(Incoming::Failed(error)) => return Err(error),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(shared.borrow().counts()),
            }
        }
        if unpark.woken.swap(false, Ordering::SeqCst) {
            // The device's future never completes.
            let _ = device.as_mut().poll(&mut context);
        }
        let out = shared.borrow_mut().take_replies();
        if !out.is_empty() {
            replies
                .write_all(&out)
                .and_then(|()| replies.flush())
                .map_err(ConnectionError::Io)?;
        }
        if !unpark.woken.load(Ordering::SeqCst) {
            thread::park();
        }
    }
}

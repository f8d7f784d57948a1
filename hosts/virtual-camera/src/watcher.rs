//! Polls the served directory; files and folders that appear or vanish
//! (not through PTP) become ObjectAdded / ObjectRemoved events.

use crate::device_info::event;
use crate::event_channel::NO_TRANSACTION;
use crate::objects;
use crate::state::{Shared, lock};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

/// One poll: rescans and reports the differences as events. A scan that
/// raced with a change made through PTP is discarded (the next poll redoes
/// it), so such changes are not reported twice.
pub fn poll_once(shared: &Shared) {
    let root = lock(&shared.objects).root().to_path_buf();
    let generation = lock(&shared.objects).generation();
    let (found, truncated) = match objects::scan(&root) {
        Ok(found) => found,
        Err(error) => {
            crate::log!("cannot scan {}: {error}", root.display());
            return;
        }
    };
    let changes = {
        let mut tree = lock(&shared.objects);
        if tree.generation() != generation {
            return;
        }
        let changes = tree.sync(found);
        if truncated && !changes.added.is_empty() {
            crate::log!(
                "more than {} objects in {}: only the first are served",
                objects::MAX_OBJECTS,
                root.display()
            );
        }
        changes
    };
    for handle in changes.removed {
        shared
            .events
            .send(event::OBJECT_REMOVED, NO_TRANSACTION, &[handle]);
    }
    for handle in changes.added {
        shared
            .events
            .send(event::OBJECT_ADDED, NO_TRANSACTION, &[handle]);
    }
}

/// Polls every `interval` until the server stops.
pub fn spawn(shared: Arc<Shared>, interval: Duration) -> std::io::Result<thread::JoinHandle<()>> {
    thread::Builder::new()
        .name("vcam-watcher".to_owned())
        .spawn(move || {
            let step = Duration::from_millis(20).min(interval);
            let mut waited = Duration::ZERO;
            while !shared.stopping.load(Ordering::Relaxed) {
                thread::sleep(step);
                waited += step;
                if waited >= interval {
                    waited = Duration::ZERO;
                    poll_once(&shared);
                }
            }
        })
}

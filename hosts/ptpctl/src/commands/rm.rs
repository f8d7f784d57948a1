//! `ptpctl rm HANDLE|PATH`.

use super::{Outcome, object};
use crate::cli::RmArgs;
use crate::output::say;
use ptp_host::{Camera, block_on};

/// Deletes an object.
pub fn run(camera: &mut Camera, args: &RmArgs) -> Outcome {
    let mut session = camera.session()?;
    let found = object(&mut session, &args.object)?;
    let result = block_on(session.client().delete_object(found.handle, 0));
    session.check(result)?;
    say!("deleted {} (0x{:08X})", found.filename, found.handle);
    Ok(())
}

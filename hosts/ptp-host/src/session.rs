//! The session guard: opens a session when made, closes it when dropped;
//! a guard made while a session is open shares it.

use crate::camera::Camera;
use std::ops::{Deref, DerefMut};

/// A session on a [`Camera`]; derefs to the camera.
pub struct Session<'c> {
    camera: &'c mut Camera,
    /// Whether this guard opened the session (and closes it).
    owns: bool,
}

impl<'c> Session<'c> {
    pub(crate) fn owned(camera: &'c mut Camera) -> Self {
        Session { camera, owns: true }
    }

    pub(crate) fn shared(camera: &'c mut Camera) -> Self {
        Session {
            camera,
            owns: false,
        }
    }

    /// Whether this guard opened the session (an outer one did not).
    pub const fn is_outermost(&self) -> bool {
        self.owns
    }

    /// The session id.
    pub fn id(&self) -> u32 {
        self.camera.session_id().unwrap_or(0)
    }
}

impl Deref for Session<'_> {
    type Target = Camera;

    fn deref(&self) -> &Camera {
        self.camera
    }
}

impl DerefMut for Session<'_> {
    fn deref_mut(&mut self) -> &mut Camera {
        self.camera
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if self.owns
            && self.camera.session_id().is_some()
            && let Err(error) = self.camera.close_session()
        {
            log::warn!("closing the session: {error}");
        }
    }
}

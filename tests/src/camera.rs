//! A virtual camera serving a copy of the bundled sample directory on an
//! ephemeral loopback port, for one test.

use crate::temp::{TempDir, copy_tree};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use virtual_camera::{Config, RunningServer, Server};

/// The sample directory bundled with the virtual camera.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hosts/virtual-camera/sample")
}

/// A running virtual camera and the directory it serves.
#[derive(Debug)]
pub struct TestCamera {
    /// The served directory (a copy of the sample).
    pub dir: TempDir,
    server: Option<RunningServer>,
}

impl TestCamera {
    /// Serves a copy of the sample directory with the default settings,
    /// except a fast directory poll.
    pub fn start(tag: &str) -> TestCamera {
        Self::start_with(tag, |_| {})
    }

    /// Serves a copy of the sample directory; `adjust` changes the
    /// configuration first (time limits, ...).
    pub fn start_with(tag: &str, adjust: impl FnOnce(&mut Config)) -> TestCamera {
        let dir = TempDir::new(tag).expect("temporary directory");
        copy_tree(&sample_dir(), dir.path()).expect("copy the sample directory");
        let mut config = Config::new(dir.path());
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.watch_interval = Duration::from_millis(100);
        adjust(&mut config);
        let server = Server::bind(config)
            .expect("bind the virtual camera")
            .spawn()
            .expect("start the virtual camera");
        TestCamera {
            dir,
            server: Some(server),
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.server
            .as_ref()
            .map(RunningServer::local_addr)
            .expect("server running")
    }

    /// The served directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Stops the server (and checks that it stopped cleanly).
    pub fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().expect("the server stops cleanly");
        }
    }
}

impl Drop for TestCamera {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.stop();
        }
    }
}

//! The command line of `ptpctl serve`: [`ServeArgs`] (clap 4) and
//! [`serve`], which runs the server until the process is stopped.

use crate::{Config, Error, Profile, Server};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `serve [--dir DIR] [--listen ADDR:PORT] [--name NAME] [--profile PROFILE] [--allow-remote]`.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// The directory served as the camera's storage (folders become
    /// associations).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value_t = crate::config::DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// The friendly name sent to initiators.
    #[arg(long, default_value = "virtual-camera")]
    pub name: String,
    /// Who the camera says it is: generic.
    #[arg(long, default_value = "generic")]
    pub profile: String,
    /// Allow a non-loopback --listen address (anyone who reaches it can
    /// read, upload and delete files in DIR).
    #[arg(long)]
    pub allow_remote: bool,
}

impl ServeArgs {
    /// The server configuration these arguments describe.
    pub fn config(&self) -> Result<Config, Error> {
        let profile: Profile = self.profile.parse()?;
        let mut config = Config::new(&self.dir);
        config.listen = self.listen;
        config.allow_remote = self.allow_remote;
        config.name = self.name.clone();
        config.profile = profile;
        Ok(config)
    }
}

/// Serves until the process is stopped; prints where it listens. A
/// non-loopback address (allowed with `--allow-remote`) is printed with a
/// warning.
pub fn serve(args: ServeArgs) -> Result<(), Error> {
    let config = args.config()?;
    let dir = config.dir.clone();
    let profile = config.profile;
    let server = Server::bind(config)?;
    let addr = server.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving {} on {addr}, a non-loopback address: anyone who can reach it \
             can read, upload and delete files there",
            dir.display()
        );
    }
    println!(
        "virtual camera ({profile}) serving {} on ptpip:{}:{}",
        dir.display(),
        addr.ip(),
        addr.port()
    );
    println!(
        "  try: gphoto2 --port ptpip:{}:{}:{} --summary   (stop with Ctrl-C)",
        addr.ip(),
        addr.port(),
        addr.port()
    );
    server.run()
}

//! One module per command; [`run`] dispatches.

mod cancelled;
mod capture;
mod codes;
mod events;
mod get;
mod info;
mod list;
mod ls;
mod props;
mod put;
mod raw;
mod rm;
mod status;
mod storages;

use crate::cli::{Cli, Command};
use crate::connect;
use crate::names::parse_handle;
use ptp_host::objects::{Object, Resolved};
use ptp_host::{Camera, Error};
use std::io;

/// Why a command failed.
pub enum Failure {
    /// The camera, the connection or the input.
    Host(Error),
    /// `serve`.
    Serve(virtual_camera::Error),
    /// Printing the output.
    Output(io::Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Host(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

/// Runs the command line.
pub fn run(cli: Cli) -> Outcome {
    match &cli.command {
        Command::List(json) => list::run(json.json),
        Command::Codes(args) => codes::run(&cli, args),
        Command::Status(json) => status::run(&cli, json.json),
        Command::Serve(args) => virtual_camera::cli::serve(args.clone()).map_err(Failure::Serve),
        command => {
            let mut camera = connect::open(&cli)?;
            match command {
                Command::Info(json) => info::run(&mut camera, json.json),
                Command::Storages(json) => storages::run(&mut camera, json.json),
                Command::Ls(args) => ls::run(&mut camera, args),
                Command::Get(args) => get::run(&mut camera, args),
                Command::Put(args) => put::run(&mut camera, args),
                Command::Rm(args) => rm::run(&mut camera, args),
                Command::Capture(args) => capture::run(&mut camera, args),
                Command::Props(json) => props::list(&mut camera, json.json),
                Command::Prop(command) => props::run(&mut camera, command),
                Command::Events(args) => events::run(&mut camera, args),
                Command::Raw(args) => raw::run(&mut camera, args),
                Command::List(_) | Command::Codes(_) | Command::Status(_) | Command::Serve(_) => {
                    Ok(())
                }
            }
        }
    }
}

/// An object named by a handle or a path (a store root is refused).
pub fn object(camera: &mut Camera, text: &str) -> Result<Object, Error> {
    if let Some(handle) = parse_handle(text) {
        return camera.object(handle);
    }
    match camera.resolve(text)? {
        Resolved::Object(object) => Ok(object),
        Resolved::Store(storage) => Err(Error::Invalid(format!(
            "`{text}` is the store {}, not an object",
            storage.path_name()
        ))),
    }
}

/// JSON of an object.
pub fn object_json(camera: &Camera, object: &Object, path: Option<&str>) -> serde_json::Value {
    let codes = camera.code_set();
    serde_json::json!({
        "handle": object.handle,
        "path": path,
        "name": object.filename,
        "folder": object.is_folder(),
        "size": object.size,
        "format": object.format,
        "format_name": crate::names::bare_name(codes, ptp_core::codes::Kind::ObjectFormat, u32::from(object.format)),
        "storage_id": object.storage_id,
        "parent": object.parent,
        "capture_date": object.capture_date,
        "modification_date": object.modification_date,
        "protection": object.protection,
        "width": object.width,
        "height": object.height,
    })
}

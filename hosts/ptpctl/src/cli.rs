//! The command line (clap).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Drive PTP/MTP cameras over USB or PTP/IP, or serve a directory as one.
#[derive(Debug, Parser)]
#[command(name = "ptpctl", version, about, max_term_width = 100)]
pub struct Cli {
    /// The camera on USB: the only one found, or the one at BUS:ADDR (see
    /// `ptpctl list`). The default when --ip is not given.
    #[arg(long, global = true, value_name = "BUS:ADDR", num_args = 0..=1, default_missing_value = "")]
    pub usb: Option<String>,
    /// The camera over PTP/IP (Wi-Fi, Ethernet) at HOST[:PORT] (port 15740).
    #[arg(
        long,
        global = true,
        value_name = "HOST[:PORT]",
        conflicts_with = "usb"
    )]
    pub ip: Option<String>,
    /// Seconds a transaction may stall before it is cancelled.
    #[arg(long, global = true, default_value_t = 10.0, value_name = "SECONDS")]
    pub io_timeout: f64,
    /// Name codes with standard PTP 1.1 tables only (no vendor extension).
    #[arg(long, global = true, conflicts_with = "vendor")]
    pub raw: bool,
    /// Name codes with this vendor's tables, whatever the camera reports;
    /// with `codes`, the vendor to list (`--vendor list` lists them).
    #[arg(long, global = true, value_name = "VENDOR")]
    pub vendor: Option<String>,
    /// More log output (-v info, -vv debug, -vvv trace); RUST_LOG also works.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// `--json`: machine-readable output.
#[derive(Clone, Copy, Debug, Args)]
pub struct Json {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the cameras found on USB.
    List(Json),
    /// Show the DeviceInfo: every operation, event and property, named.
    Info(Json),
    /// List the stores (cards, internal memory).
    Storages(Json),
    /// List objects under PATH (`/store_00010001/DCIM`); the root by default.
    Ls(LsArgs),
    /// Download objects (atomically; an interrupted download resumes).
    Get(GetArgs),
    /// Upload a file.
    Put(PutArgs),
    /// Delete an object.
    Rm(RmArgs),
    /// Take a picture.
    Capture(CaptureArgs),
    /// List the device properties with their values and allowed values.
    Props(Json),
    /// Read or change one device property.
    #[command(subcommand)]
    Prop(PropCommand),
    /// Print events as they come, in an open session.
    ///
    /// The session stays open while waiting, and the root of every store is
    /// listed first (GetStorageIDs, then GetObjectHandles of each root):
    /// many devices (QEMU's usb-mtp, phones, some cameras) report changes
    /// only inside an open session and only for folders listed in it. Only
    /// the roots are listed: finding every subfolder would take a
    /// GetObjectInfo per object, thousands of transactions on a full card,
    /// and cameras report new pictures without it. So on such devices
    /// changes inside subfolders go unreported.
    Events(EventsArgs),
    /// Show the USB Get Device Status (class request 0x67): the device's
    /// status code and parameters. USB only: over --ip it exits 2.
    Status(Json),
    /// Run any operation.
    Raw(RawArgs),
    /// List the code tables (operations, responses, events, properties, formats).
    Codes(CodesArgs),
    /// Serve a directory as a PTP/IP camera (the virtual camera).
    Serve(virtual_camera::cli::ServeArgs),
}

/// `ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// A path (`/store_00010001/DCIM`) or an object handle.
    pub path: Option<String>,
    /// Descend into folders.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    #[command(flatten)]
    pub json: Json,
}

/// `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// Object handles (decimal or 0x hex) or paths; a folder downloads its files.
    #[arg(required_unless_present = "all")]
    pub objects: Vec<String>,
    /// The directory to download into.
    #[arg(short, long, default_value = ".")]
    pub output: PathBuf,
    /// Every file on every store.
    #[arg(long)]
    pub all: bool,
    /// Skip files already downloaded (same name and size in the directory).
    #[arg(long)]
    pub new: bool,
    /// At most this many bytes per second (suffixes k, M).
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,
    /// Diagnostic: cancel the download after BYTES bytes, report how the
    /// camera took it, then finish it in the same session.
    ///
    /// A test of the cancel path: after BYTES bytes of the object
    /// arrived, cancel the transaction (USB: class request 0x64 Cancel,
    /// then Get Device Status until the device is ready, with stalled
    /// endpoints cleared and the IN pipe drained; PTP/IP: a Cancel packet,
    /// then the rest of the transaction read and dropped), report how the
    /// camera took it, then finish the download in the same session from
    /// the partial file (GetPartialObject, or from the start without it).
    /// Takes exactly one file larger than BYTES.
    #[arg(
        long,
        value_name = "BYTES",
        conflicts_with_all = ["all", "new"],
        help_heading = "Diagnostics"
    )]
    pub cancel_after: Option<u64>,
    #[command(flatten)]
    pub json: Json,
}

/// `put`.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// The file to send.
    pub file: PathBuf,
    /// The folder to put it in (a path); the first store's root by default.
    #[arg(long, value_name = "FOLDER")]
    pub to: Option<String>,
    #[command(flatten)]
    pub json: Json,
}

/// `rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// An object handle or path.
    pub object: String,
}

/// `capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Download the new pictures into this directory.
    #[arg(long, value_name = "DIR")]
    pub download: Option<PathBuf>,
    /// Seconds to wait for the camera to report the pictures.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,
    #[command(flatten)]
    pub json: Json,
}

/// `prop`.
#[derive(Debug, Subcommand)]
pub enum PropCommand {
    /// Show a property: value, type, allowed values.
    Get {
        /// Its name (`ExposureTime`) or code (`0x500D`).
        property: String,
        #[command(flatten)]
        json: Json,
    },
    /// Change a property.
    Set {
        /// Its name (`ExposureTime`) or code (`0x500D`).
        property: String,
        /// The value: a number (decimal or 0x hex), a string, or a
        /// comma-separated list for arrays.
        value: String,
    },
}

/// `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Stop after this many seconds (default: run until interrupted).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Stop after this many events.
    #[arg(long)]
    pub count: Option<u64>,
    #[command(flatten)]
    pub json: Json,
}

/// `raw`.
#[derive(Debug, Args)]
pub struct RawArgs {
    /// The operation: a code (`0x1004`) or a name (`GetStorageIDs`).
    pub operation: String,
    /// Up to five parameters (decimal or 0x hex).
    pub params: Vec<String>,
    /// Send this file as the data phase.
    #[arg(long, value_name = "FILE")]
    pub data_out: Option<PathBuf>,
    /// Write the data phase to this file (otherwise a hex dump is shown).
    #[arg(long, value_name = "FILE")]
    pub data_in: Option<PathBuf>,
    #[command(flatten)]
    pub json: Json,
}

/// `codes` (the vendor is the global `--vendor`).
#[derive(Debug, Args)]
pub struct CodesArgs {
    /// Only one kind: ops, responses, events, props, formats, objprops, props32.
    #[arg(long)]
    pub kind: Option<String>,
    #[command(flatten)]
    pub json: Json,
}

//! Profiles: who the virtual camera says it is (vendor extension,
//! manufacturer, model). The operations, events and properties it lists are
//! those it implements, whatever the profile.

use std::fmt;
use std::str::FromStr;

/// A device identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// A plain PTP camera: no vendor extension, standard codes only.
    Generic,
}

/// The DeviceInfo identity fields of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// StandardVersion (100 = PTP 1.00).
    pub standard_version: u16,
    /// VendorExtensionID.
    pub vendor_extension_id: u32,
    /// VendorExtensionVersion.
    pub vendor_extension_version: u16,
    /// VendorExtensionDesc.
    pub vendor_extension_desc: &'static str,
    /// Manufacturer.
    pub manufacturer: &'static str,
    /// Model.
    pub model: &'static str,
    /// DeviceVersion.
    pub device_version: &'static str,
}

impl Profile {
    /// The names accepted by [`FromStr`].
    pub const NAMES: [&'static str; 1] = ["generic"];

    /// The profile's name.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
        }
    }

    /// What DeviceInfo says.
    pub const fn identity(self) -> Identity {
        match self {
            Profile::Generic => Identity {
                standard_version: 100,
                vendor_extension_id: 0,
                vendor_extension_version: 0,
                vendor_extension_desc: "",
                manufacturer: "ptp-rs",
                model: "Virtual Camera",
                device_version: env!("CARGO_PKG_VERSION"),
            },
        }
    }
}

impl FromStr for Profile {
    type Err = crate::Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "generic" => Ok(Profile::Generic),
            other => Err(crate::Error::UnknownProfile(other.to_owned())),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

//! Finds the Still Image interface (class 6/1/1) and its three endpoints in
//! a configuration descriptor, as a USB host reads it from a camera. The
//! descriptor is untrusted: lengths are checked, nothing panics.

use embassy_usb_driver::EndpointType;

/// One endpoint of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EndpointDescription {
    /// bEndpointAddress (bit 7 set: IN).
    pub address: u8,
    /// wMaxPacketSize (the size bits).
    pub max_packet_size: u16,
    /// bInterval.
    pub interval: u8,
}

/// The interface and its endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StillImageInterface {
    /// bInterfaceNumber.
    pub number: u8,
    /// Bulk IN.
    pub bulk_in: EndpointDescription,
    /// Bulk OUT.
    pub bulk_out: EndpointDescription,
    /// Interrupt IN (events).
    pub interrupt_in: EndpointDescription,
}

const INTERFACE: u8 = 4;
const ENDPOINT: u8 = 5;

/// The first interface of class 6, subclass 1, protocol 1 with bulk IN,
/// bulk OUT and interrupt IN endpoints, in configuration descriptor
/// `config` (header included).
pub fn find(config: &[u8]) -> Option<StillImageInterface> {
    let mut found: Option<(u8, [Option<EndpointDescription>; 3])> = None;
    let mut rest = config;
    while let [len, kind, ..] = *rest {
        let len = usize::from(len);
        let descriptor = rest.get(..len).filter(|_| len >= 2)?;
        rest = rest.get(len..).unwrap_or(&[]);
        match (kind, descriptor) {
            (INTERFACE, [_, _, number, _, _, 6, 1, 1, ..]) => found = Some((*number, [None; 3])),
            // Another interface ends the one found, if it is complete.
            (INTERFACE, _) if complete(found).is_some() => break,
            (INTERFACE, _) => found = None,
            (ENDPOINT, [_, _, address, attributes, size_lo, size_hi, interval, ..]) => {
                let Some((_, endpoints)) = found.as_mut() else {
                    continue;
                };
                let endpoint = EndpointDescription {
                    address: *address,
                    max_packet_size: u16::from_le_bytes([*size_lo, *size_hi]) & 0x07FF,
                    interval: *interval,
                };
                let slot = match (address & 0x80 != 0, endpoint_type(*attributes)) {
                    (true, EndpointType::Bulk) => endpoints.get_mut(0),
                    (false, EndpointType::Bulk) => endpoints.get_mut(1),
                    (true, EndpointType::Interrupt) => endpoints.get_mut(2),
                    _ => None,
                };
                if let Some(slot) = slot {
                    slot.get_or_insert(endpoint);
                }
            }
            _ => {}
        }
    }
    complete(found)
}

fn endpoint_type(attributes: u8) -> EndpointType {
    match attributes & 0x03 {
        0 => EndpointType::Control,
        1 => EndpointType::Isochronous,
        2 => EndpointType::Bulk,
        _ => EndpointType::Interrupt,
    }
}

fn complete(found: Option<(u8, [Option<EndpointDescription>; 3])>) -> Option<StillImageInterface> {
    let (number, [bulk_in, bulk_out, interrupt_in]) = found?;
    Some(StillImageInterface {
        number,
        bulk_in: bulk_in?,
        bulk_out: bulk_out?,
        interrupt_in: interrupt_in?,
    })
}

#[cfg(test)]
mod test {
    use super::*;

    /// A configuration with a HID interface, then a camera's 6/1/1
    /// interface (bulk IN 0x81, bulk OUT 0x02, interrupt IN 0x83).
    static CONFIG: [u8; 57] = [
        9, 2, 57, 0, 2, 1, 0, 0x80, 50, // configuration
        9, 4, 0, 0, 1, 3, 0, 0, 0, // HID interface
        7, 5, 0x84, 3, 8, 0, 10, // its interrupt endpoint
        9, 4, 1, 0, 3, 6, 1, 1, 0, // still image interface 1
        7, 5, 0x81, 2, 0, 2, 0, // bulk IN, 512
        7, 5, 0x02, 2, 0, 2, 0, // bulk OUT, 512
        7, 5, 0x83, 3, 24, 0, 4, // interrupt IN, 24
        2, 0xFF, // a vendor descriptor
    ];

    #[test]
    fn finds_the_interface_after_others() {
        let found = find(&CONFIG).unwrap();
        assert_eq!(found.number, 1);
        assert_eq!(
            (found.bulk_in.address, found.bulk_in.max_packet_size),
            (0x81, 512)
        );
        assert_eq!(found.bulk_out.address, 0x02);
        assert_eq!(
            (found.interrupt_in.address, found.interrupt_in.interval),
            (0x83, 4)
        );
    }

    #[test]
    fn malformed_or_incomplete_is_none() {
        // Complete only once the interrupt endpoint is in (55 bytes).
        for len in 0..55 {
            assert!(find(&CONFIG[..len]).is_none(), "{len}");
        }
        assert!(find(&CONFIG[..55]).is_some());
        let mut zero = CONFIG;
        zero[9] = 0; // a zero-length descriptor
        assert_eq!(find(&zero), None);
        let mut long = CONFIG;
        long[25] = 200; // the interface descriptor runs past the end
        assert_eq!(find(&long), None);
        let mut no_interrupt = CONFIG;
        no_interrupt[50] = 0x03;
        no_interrupt[51] = 2; // a second bulk OUT instead
        assert_eq!(find(&no_interrupt), None);
    }
}

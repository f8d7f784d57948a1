//! DeviceInfo streamed through `DeviceInfoScanner`: the first byte seeds
//! how the rest is split into chunks. The scan never panics and gives what
//! `DeviceInfo::parse` of the whole data gives: the same error (field,
//! offset, kind), or the same VendorExtensionID, the identity strings cut
//! to whole characters within the bytes `code_set` keeps, whether each
//! watched operation is listed, and the same code set.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::{DeviceInfo, DeviceInfoScanner, IDENTITY_DESC_BYTES, IDENTITY_NAME_BYTES};
use ptp_core::wire::PtpString;
use ptp_core_fuzz::chunks::Chunks;

/// Operations watched: GetDeviceInfo, Canon EOS GetEvent, MTP
/// GetObjectPropList.
const WATCHED: [u16; 3] = [0x1001, 0x9116, 0x9805];

/// The characters of `text` that fit `budget` bytes of UTF-8, up to the
/// first that does not.
fn cut(text: &PtpString<'_>, budget: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if out.len() + c.len_utf8() > budget {
            break;
        }
        out.push(c);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    let mut scanner = DeviceInfoScanner::new(WATCHED);
    for chunk in Chunks::new(u64::from(seed)).split(bytes) {
        scanner.push(chunk);
    }
    let complete = scanner.is_complete();
    let scanned = scanner.finish();
    assert_eq!(complete, scanned.is_ok());
    let info = match DeviceInfo::parse(bytes) {
        Ok(info) => info,
        Err(error) => {
            assert_eq!(
                scanned.err(),
                Some(error),
                "the scan and the parser disagree"
            );
            return;
        }
    };
    let summary = match scanned {
        Ok(summary) => summary,
        Err(error) => panic!("the scan refused what parses: {error}"),
    };
    assert_eq!(summary.vendor_extension_id(), info.vendor_extension_id);
    assert_eq!(
        summary.vendor_extension_desc(),
        cut(&info.vendor_extension_desc, IDENTITY_DESC_BYTES)
    );
    assert_eq!(
        summary.manufacturer(),
        cut(&info.manufacturer, IDENTITY_NAME_BYTES)
    );
    assert_eq!(summary.model(), cut(&info.model, IDENTITY_NAME_BYTES));
    for code in WATCHED {
        assert_eq!(summary.supports(code), Some(info.supports_operation(code)));
    }
    assert_eq!(summary.code_set(), info.code_set());
});

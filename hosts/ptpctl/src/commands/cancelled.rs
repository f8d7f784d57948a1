//! How `ptpctl get --cancel-after` reports the cancel: a sentence, and
//! its JSON.

use ptp_host::cancel::{CancelReport, Confirmation, PartialGet};
use ptp_host::usb::{CancelOutcome, Confirmation as UsbConfirmation};

/// One line saying what was cancelled and how the camera took it.
pub fn describe(partial: &PartialGet, cancel_after: u64) -> String {
    match partial {
        PartialGet::Completed { bytes } => format!(
            "nothing cancelled: the object ended after {bytes} bytes, before {cancel_after}"
        ),
        PartialGet::Cancelled(CancelReport {
            transaction_id,
            kept,
            confirmation,
        }) => {
            let how = match confirmation {
                Confirmation::Usb(outcome) => {
                    format!("USB Cancel (class request 0x64) sent; {outcome}")
                }
                Confirmation::PtpIp {
                    response_seen: true,
                } => "PTP/IP Cancel packet sent; the camera's response to the transaction \
                      came, and what it still sent before it was dropped"
                    .to_owned(),
                Confirmation::PtpIp {
                    response_seen: false,
                } => "PTP/IP Cancel packet sent; no response to the transaction came \
                      within the I/O timeout"
                    .to_owned(),
            };
            format!("cancelled GetObject (transaction {transaction_id}) after {kept} bytes: {how}")
        }
    }
}

/// The cancel as JSON.
pub fn json(partial: &PartialGet, cancel_after: u64) -> serde_json::Value {
    let report = match partial {
        PartialGet::Completed { bytes } => {
            return serde_json::json!({
                "cancelled": false,
                "cancel_after": cancel_after,
                "object_bytes": bytes,
            });
        }
        PartialGet::Cancelled(report) => report,
    };
    let mut value = serde_json::json!({
        "cancelled": true,
        "cancel_after": cancel_after,
        "transaction_id": report.transaction_id,
        "kept": report.kept,
        "message": describe(partial, cancel_after),
    });
    let details = match &report.confirmation {
        Confirmation::Usb(outcome) => usb_json(outcome),
        Confirmation::PtpIp { response_seen } => serde_json::json!({
            "transport": "ptpip",
            "response_seen": response_seen,
        }),
    };
    if let (Some(object), serde_json::Value::Object(details)) = (value.as_object_mut(), details) {
        object.extend(details);
    }
    value
}

fn usb_json(outcome: &CancelOutcome) -> serde_json::Value {
    let status = match &outcome.confirmation {
        UsbConfirmation::Ready { polls, codes } => serde_json::json!({
            "ready": true,
            "polls": polls,
            "codes_before_ok": codes,
        }),
        UsbConfirmation::NoStatus(why) => serde_json::json!({
            "ready": null,
            "no_status": why.to_string(),
        }),
    };
    serde_json::json!({
        "transport": "usb",
        "device_status": status,
        "dropped": outcome.dropped,
    })
}

#[cfg(test)]
mod test {
    use super::*;
    use ptp_host::usb::StatusError;

    #[test]
    fn usb_cancels_say_what_the_device_said() {
        let partial = PartialGet::Cancelled(CancelReport {
            transaction_id: 7,
            kept: 4096,
            confirmation: Confirmation::Usb(CancelOutcome {
                confirmation: UsbConfirmation::NoStatus(StatusError::Empty),
                dropped: 0,
            }),
        });
        let line = describe(&partial, 4096);
        assert!(
            line.starts_with("cancelled GetObject (transaction 7) after 4096 bytes: USB Cancel"),
            "{line}"
        );
        assert!(line.contains("no Get Device Status data"), "{line}");
        let value = json(&partial, 4096);
        assert_eq!(value["transport"], "usb");
        assert_eq!(value["kept"], 4096);
        assert!(value["device_status"]["ready"].is_null());
    }

    #[test]
    fn an_object_that_ends_first_is_not_called_cancelled() {
        let partial = PartialGet::Completed { bytes: 10 };
        assert!(describe(&partial, 20).starts_with("nothing cancelled"));
        assert_eq!(json(&partial, 20)["cancelled"], false);
    }
}

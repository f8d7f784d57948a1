//! Every transaction the trigger runs goes through [`command`] with one
//! sink type, [`Reply`]: ptp-core's client is generic over the data sink
//! and source, and one instantiation for all of them (instead of one per
//! sink: none, discard, DeviceInfo, GetEvent) keeps the firmware smaller.

use super::camera::EosSink;
use ptp_core::client::{Channel, Client, ClientError, Clock, DataError, DataSink, SliceSource};
use ptp_core::codes::DataDirection;
use ptp_core::dataset::DeviceInfoScanner;

/// Where a transaction's data phase goes.
pub(super) enum Reply<'a> {
    /// No data phase: a data byte is refused (as ptp-core's `NoData`).
    Refuse,
    /// A data phase may come; it is dropped.
    Discard,
    /// DeviceInfo, scanned for the vendor.
    DeviceInfo(&'a mut DeviceInfoScanner<0>),
    /// Canon EOS GetEvent records, scanned for ObjectAddedEx.
    Eos(&'a mut EosSink),
}

impl DataSink for Reply<'_> {
    fn start(&mut self, total: Option<u64>) -> Result<(), DataError> {
        match self {
            Reply::DeviceInfo(scanner) => scanner.start(total),
            Reply::Refuse | Reply::Discard | Reply::Eos(_) => Ok(()),
        }
    }

    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        match self {
            Reply::Refuse if !chunk.is_empty() => Err(DataError::Full { capacity: 0 }),
            Reply::Refuse | Reply::Discard => Ok(()),
            Reply::DeviceInfo(scanner) => {
                scanner.push(chunk);
                Ok(())
            }
            Reply::Eos(sink) => sink.push(chunk),
        }
    }
}

/// Runs operation `code` with `params`, taking any data into `reply` (a
/// data-in transaction, or none for [`Reply::Refuse`]); a response other
/// than OK is an error.
pub(super) async fn command<C: Channel, K: Clock, B: AsMut<[u8]>>(
    client: &mut Client<C, K, B>,
    code: u16,
    params: &[u32],
    reply: &mut Reply<'_>,
) -> Result<(), ClientError<C::Error>> {
    let data_in = !matches!(reply, Reply::Refuse);
    let response = client.transaction_in(code, params, data_in, reply).await?;
    response.ok_for(code).map(drop)
}

/// Runs operation `code` with `params`, sending `data`; a response other
/// than OK is an error. Its own function: only the transactions that send
/// data carry the (larger) data-out state.
pub(super) async fn command_out<C: Channel, K: Clock, B: AsMut<[u8]>>(
    client: &mut Client<C, K, B>,
    code: u16,
    params: &[u32],
    data: &[u8],
) -> Result<(), ClientError<C::Error>> {
    let (direction, source) = (DataDirection::Out, SliceSource::new(data));
    let response = client
        .transaction(code, params, direction, source, &mut Reply::Refuse)
        .await?;
    response.ok_for(code).map(drop)
}

//! embassy-usb-driver host pipes over the [`HostDouble`], so the trigger's
//! real USB host channels ([`UsbHostChannel`], [`UsbHostEventChannel`])
//! run against the real device class in-process. Control pipes map to the
//! double's control transfers, bulk and interrupt pipes to its packets.

use super::usb_double::{ControlOutcome, HostDouble, Setup};
use embassy_usb_driver::host::{PipeError, TimeoutConfig, UsbPipe, pipe};
use ptp_embassy::trigger::still_image_interface::StillImageInterface;
use ptp_embassy::trigger::usb_host::{UsbHostChannel, UsbHostEventChannel};

/// A pipe double: the host double and an endpoint address (0 for control).
pub struct PipeDouble {
    host: HostDouble,
    address: u8,
}

impl<T: pipe::Type, D: pipe::Direction> UsbPipe<T, D> for PipeDouble {
    async fn control_in(&mut self, setup: &[u8; 8], buf: &mut [u8]) -> Result<usize, PipeError>
    where
        T: pipe::IsControl,
        D: pipe::IsIn,
    {
        match self.host.control(Setup::from_bytes(setup), &[]).await {
            ControlOutcome::Accepted(data) => {
                let len = data.len().min(buf.len());
                buf[..len].copy_from_slice(&data[..len]);
                Ok(len)
            }
            ControlOutcome::Stalled => Err(PipeError::Stall),
        }
    }

    async fn control_out(&mut self, setup: &[u8; 8], buf: &[u8]) -> Result<(), PipeError>
    where
        T: pipe::IsControl,
        D: pipe::IsOut,
    {
        match self.host.control(Setup::from_bytes(setup), buf).await {
            ControlOutcome::Accepted(_) => Ok(()),
            ControlOutcome::Stalled => Err(PipeError::Stall),
        }
    }

    async fn request_in(&mut self, buf: &mut [u8]) -> Result<usize, PipeError>
    where
        D: pipe::IsIn,
    {
        let packet_size = self.host.max_packet_size(self.address);
        let mut len = 0;
        loop {
            let packet = self
                .host
                .read_packet(self.address)
                .await
                .ok_or(PipeError::Disconnected)?;
            let target = buf
                .get_mut(len..len + packet.len())
                .ok_or(PipeError::BufferOverflow)?;
            target.copy_from_slice(&packet);
            len += packet.len();
            if packet.len() < packet_size || len == buf.len() {
                return Ok(len);
            }
        }
    }

    async fn request_out(
        &mut self,
        buf: &[u8],
        ensure_transaction_end: bool,
    ) -> Result<(), PipeError>
    where
        D: pipe::IsOut,
    {
        let packet_size = self.host.max_packet_size(self.address);
        for packet in buf.chunks(packet_size) {
            if !self.host.write_packet(self.address, packet).await {
                return Err(PipeError::Disconnected);
            }
        }
        let zlp =
            buf.is_empty() || (ensure_transaction_end && buf.len().is_multiple_of(packet_size));
        if zlp && !self.host.write_packet(self.address, &[]).await {
            return Err(PipeError::Disconnected);
        }
        Ok(())
    }

    fn set_timeout(&mut self, _timeout: TimeoutConfig)
    where
        T: pipe::IsControl,
    {
    }

    fn reset_data_toggle(&mut self)
    where
        T: pipe::IsBulkOrInterrupt,
    {
    }
}

/// The trigger's command channel on the double.
pub type DoubleChannel = UsbHostChannel<PipeDouble, PipeDouble, PipeDouble>;
/// The trigger's event channel on the double.
pub type DoubleEvents = UsbHostEventChannel<PipeDouble>;

/// The trigger's USB host channels over the interface's pipes.
pub fn channels(
    host: &HostDouble,
    interface: StillImageInterface,
) -> (DoubleChannel, DoubleEvents) {
    let pipe = |address| PipeDouble {
        host: host.clone(),
        address,
    };
    let channel = UsbHostChannel::new(
        pipe(0),
        pipe(interface.bulk_in.address),
        pipe(interface.bulk_out.address),
        interface.number,
        interface.bulk_out.max_packet_size,
    );
    (
        channel,
        UsbHostEventChannel::new(pipe(interface.interrupt_in.address)),
    )
}

//! A typed method for every standard PTP 1.1 operation (ISO 15740:2013),
//! plus Android's GetPartialObject64 for offsets past 4 GiB.
//!
//! Datasets are collected into a buffer the caller passes (`out`) and
//! returned parsed, borrowing it; object data streams into a sink. A
//! response other than OK is [`ClientError::Response`].

use super::{Channel, Client, ClientError, Clock, DataSink, DataSource, EmitSource, SliceSink};
use crate::codes::android::Operation as Android;
use crate::codes::standard::Operation as Op;
use crate::dataset::{
    DeviceInfo, DeviceInfoScanner, DeviceInfoSummary, DevicePropDesc, ObjectInfo, StorageInfo,
    StreamInfo,
};
use crate::wire::{Array, DataType, Reader, Value, Writer};

/// Where a new object went: the response of SendObjectInfo and
/// SendObjectPropList.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NewObject {
    /// The store.
    pub storage_id: u32,
    /// The parent folder (0xFFFFFFFF: the root).
    pub parent: u32,
    /// The handle the device gave the object.
    pub handle: u32,
}

type Result<T, E> = core::result::Result<T, ClientError<E>>;

impl<C: Channel, K: Clock, B: AsMut<[u8]>> Client<C, K, B> {
    /// GetDeviceInfo (0x1001), also outside a session.
    pub async fn get_device_info<'o>(
        &mut self,
        out: &'o mut [u8],
    ) -> Result<DeviceInfo<'o>, C::Error> {
        let bytes = self.data_in_to(Op::GetDeviceInfo.code(), &[], out).await?;
        Ok(DeviceInfo::parse(bytes)?)
    }

    /// GetDeviceInfo (0x1001) streamed through a [`DeviceInfoScanner`]:
    /// the vendor extension, the identity strings and whether each of
    /// `watched` is supported, without a buffer for the whole dataset
    /// (which runs to kilobytes on cameras).
    pub async fn scan_device_info<const N: usize>(
        &mut self,
        watched: [u16; N],
    ) -> Result<DeviceInfoSummary<N>, C::Error> {
        let mut scanner = DeviceInfoScanner::new(watched);
        self.data_in(Op::GetDeviceInfo.code(), &[], &mut scanner)
            .await?;
        Ok(scanner.finish()?)
    }

    /// OpenSession (0x1002) with `session_id` (not 0).
    pub async fn open_session(&mut self, session_id: u32) -> Result<(), C::Error> {
        self.execute(Op::OpenSession.code(), &[session_id]).await?;
        Ok(())
    }

    /// CloseSession (0x1003).
    pub async fn close_session(&mut self) -> Result<(), C::Error> {
        self.execute(Op::CloseSession.code(), &[]).await?;
        Ok(())
    }

    /// GetStorageIDs (0x1004).
    pub async fn get_storage_ids<'o>(
        &mut self,
        out: &'o mut [u8],
    ) -> Result<Array<'o, u32>, C::Error> {
        let bytes = self.data_in_to(Op::GetStorageIDs.code(), &[], out).await?;
        Ok(Reader::new(bytes).array("StorageIDs")?)
    }

    /// GetStorageInfo (0x1005).
    pub async fn get_storage_info<'o>(
        &mut self,
        storage_id: u32,
        out: &'o mut [u8],
    ) -> Result<StorageInfo<'o>, C::Error> {
        let bytes = self
            .data_in_to(Op::GetStorageInfo.code(), &[storage_id], out)
            .await?;
        Ok(StorageInfo::parse(bytes)?)
    }

    /// GetNumObjects (0x1006): storage (0xFFFFFFFF all), format (0 all),
    /// parent (0 all, 0xFFFFFFFF the root).
    pub async fn get_num_objects(
        &mut self,
        storage_id: u32,
        format: u16,
        parent: u32,
    ) -> Result<u32, C::Error> {
        let params = [storage_id, u32::from(format), parent];
        let response = self.execute(Op::GetNumObjects.code(), &params).await?;
        Ok(response.param(0))
    }

    /// GetObjectHandles (0x1007): storage (0xFFFFFFFF all), format (0 all),
    /// parent (0 all, 0xFFFFFFFF the root).
    pub async fn get_object_handles<'o>(
        &mut self,
        storage_id: u32,
        format: u16,
        parent: u32,
        out: &'o mut [u8],
    ) -> Result<Array<'o, u32>, C::Error> {
        let params = [storage_id, u32::from(format), parent];
        let bytes = self
            .data_in_to(Op::GetObjectHandles.code(), &params, out)
            .await?;
        Ok(Reader::new(bytes).array("ObjectHandles")?)
    }

    /// GetObjectInfo (0x1008).
    pub async fn get_object_info<'o>(
        &mut self,
        handle: u32,
        out: &'o mut [u8],
    ) -> Result<ObjectInfo<'o>, C::Error> {
        let bytes = self
            .data_in_to(Op::GetObjectInfo.code(), &[handle], out)
            .await?;
        Ok(ObjectInfo::parse(bytes)?)
    }

    /// GetObject (0x1009): the object's data into `sink`.
    pub async fn get_object(&mut self, handle: u32, sink: impl DataSink) -> Result<(), C::Error> {
        self.data_in(Op::GetObject.code(), &[handle], sink).await?;
        Ok(())
    }

    /// GetThumb (0x100A): the thumbnail into `sink`.
    pub async fn get_thumb(&mut self, handle: u32, sink: impl DataSink) -> Result<(), C::Error> {
        self.data_in(Op::GetThumb.code(), &[handle], sink).await?;
        Ok(())
    }

    /// DeleteObject (0x100B); handle 0xFFFFFFFF with a format deletes all
    /// objects of that format (0: all).
    pub async fn delete_object(&mut self, handle: u32, format: u16) -> Result<(), C::Error> {
        let params = [handle, u32::from(format)];
        self.execute(Op::DeleteObject.code(), &params).await?;
        Ok(())
    }

    /// SendObjectInfo (0x100C): announces an object for the next
    /// SendObject. Storage and parent 0 let the device choose.
    pub async fn send_object_info(
        &mut self,
        storage_id: u32,
        parent: u32,
        info: &ObjectInfo<'_>,
    ) -> Result<NewObject, C::Error> {
        let source = EmitSource::new(info.buffer_len(), |buffer: &mut [u8]| info.emit(buffer));
        let response = self
            .data_out(Op::SendObjectInfo.code(), &[storage_id, parent], source)
            .await?;
        Ok(NewObject {
            storage_id: response.param(0),
            parent: response.param(1),
            handle: response.param(2),
        })
    }

    /// SendObject (0x100D): the data of the object last announced.
    pub async fn send_object(&mut self, source: impl DataSource) -> Result<(), C::Error> {
        self.data_out(Op::SendObject.code(), &[], source).await?;
        Ok(())
    }

    /// InitiateCapture (0x100E); 0, 0 for the device's defaults. The
    /// device reports ObjectAdded and CaptureComplete as events.
    pub async fn initiate_capture(&mut self, storage_id: u32, format: u16) -> Result<(), C::Error> {
        let params = [storage_id, u32::from(format)];
        self.execute(Op::InitiateCapture.code(), &params).await?;
        Ok(())
    }

    /// FormatStore (0x100F); filesystem format 0 for the default.
    pub async fn format_store(&mut self, storage_id: u32, filesystem: u16) -> Result<(), C::Error> {
        let params = [storage_id, u32::from(filesystem)];
        self.execute(Op::FormatStore.code(), &params).await?;
        Ok(())
    }

    /// ResetDevice (0x1010): the device closes every session.
    pub async fn reset_device(&mut self) -> Result<(), C::Error> {
        self.execute(Op::ResetDevice.code(), &[]).await?;
        self.reset();
        Ok(())
    }

    /// SelfTest (0x1011) of `kind` (0: the default test).
    pub async fn self_test(&mut self, kind: u16) -> Result<(), C::Error> {
        self.execute(Op::SelfTest.code(), &[u32::from(kind)])
            .await?;
        Ok(())
    }

    /// SetObjectProtection (0x1012): 0 no protection, 1 read-only.
    pub async fn set_object_protection(
        &mut self,
        handle: u32,
        status: u16,
    ) -> Result<(), C::Error> {
        let params = [handle, u32::from(status)];
        self.execute(Op::SetObjectProtection.code(), &params)
            .await?;
        Ok(())
    }

    /// PowerDown (0x1013).
    pub async fn power_down(&mut self) -> Result<(), C::Error> {
        self.execute(Op::PowerDown.code(), &[]).await?;
        Ok(())
    }

    /// GetDevicePropDesc (0x1014).
    pub async fn get_device_prop_desc<'o>(
        &mut self,
        property: u16,
        out: &'o mut [u8],
    ) -> Result<DevicePropDesc<'o>, C::Error> {
        let params = [u32::from(property)];
        let bytes = self
            .data_in_to(Op::GetDevicePropDesc.code(), &params, out)
            .await?;
        Ok(DevicePropDesc::parse(bytes)?)
    }

    /// GetDevicePropValue (0x1015): the raw value bytes.
    pub async fn get_device_prop_value<'o>(
        &mut self,
        property: u16,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], C::Error> {
        let params = [u32::from(property)];
        self.data_in_to(Op::GetDevicePropValue.code(), &params, out)
            .await
    }

    /// GetDevicePropValue (0x1015), decoded as `data_type` (from the
    /// property's description).
    pub async fn get_device_prop_value_as<'o>(
        &mut self,
        property: u16,
        data_type: DataType,
        out: &'o mut [u8],
    ) -> Result<Value<'o>, C::Error> {
        let bytes = self.get_device_prop_value(property, out).await?;
        Ok(Value::read(
            &mut Reader::new(bytes),
            "DevicePropValue",
            data_type,
        )?)
    }

    /// SetDevicePropValue (0x1016).
    pub async fn set_device_prop_value(
        &mut self,
        property: u16,
        value: &Value<'_>,
    ) -> Result<(), C::Error> {
        let source = EmitSource::new(value.encoded_len(), |buffer: &mut [u8]| {
            let mut writer = Writer::new(buffer);
            value.write(&mut writer).map(|()| writer.position())
        });
        let params = [u32::from(property)];
        self.data_out(Op::SetDevicePropValue.code(), &params, source)
            .await?;
        Ok(())
    }

    /// ResetDevicePropValue (0x1017); 0xFFFFFFFF resets all.
    pub async fn reset_device_prop_value(&mut self, property: u32) -> Result<(), C::Error> {
        self.execute(Op::ResetDevicePropValue.code(), &[property])
            .await?;
        Ok(())
    }

    /// TerminateOpenCapture (0x1018) of the capture started in
    /// `transaction_id`.
    pub async fn terminate_open_capture(&mut self, transaction_id: u32) -> Result<(), C::Error> {
        self.execute(Op::TerminateOpenCapture.code(), &[transaction_id])
            .await?;
        Ok(())
    }

    /// MoveObject (0x1019) to a store and parent (0xFFFFFFFF: the root).
    pub async fn move_object(
        &mut self,
        handle: u32,
        storage_id: u32,
        parent: u32,
    ) -> Result<(), C::Error> {
        self.execute(Op::MoveObject.code(), &[handle, storage_id, parent])
            .await?;
        Ok(())
    }

    /// CopyObject (0x101A); returns the copy's handle.
    pub async fn copy_object(
        &mut self,
        handle: u32,
        storage_id: u32,
        parent: u32,
    ) -> Result<u32, C::Error> {
        let response = self
            .execute(Op::CopyObject.code(), &[handle, storage_id, parent])
            .await?;
        Ok(response.param(0))
    }

    /// GetPartialObject (0x101B): up to `max_bytes` from `offset` into
    /// `sink`; returns the count the device sent.
    pub async fn get_partial_object(
        &mut self,
        handle: u32,
        offset: u32,
        max_bytes: u32,
        sink: impl DataSink,
    ) -> Result<u32, C::Error> {
        let response = self
            .data_in(
                Op::GetPartialObject.code(),
                &[handle, offset, max_bytes],
                sink,
            )
            .await?;
        Ok(response.param(0))
    }

    /// GetPartialObject64 (0x95C1, Android's extension): like
    /// GetPartialObject with a 64-bit offset, for objects past 4 GiB.
    pub async fn get_partial_object_64(
        &mut self,
        handle: u32,
        offset: u64,
        max_bytes: u32,
        sink: impl DataSink,
    ) -> Result<u32, C::Error> {
        let params = [handle, offset as u32, (offset >> 32) as u32, max_bytes];
        let response = self
            .data_in(Android::GetPartialObject64.code(), &params, sink)
            .await?;
        Ok(response.param(0))
    }

    /// InitiateOpenCapture (0x101C); returns the transaction id to give
    /// TerminateOpenCapture.
    pub async fn initiate_open_capture(
        &mut self,
        storage_id: u32,
        format: u16,
    ) -> Result<u32, C::Error> {
        let params = [storage_id, u32::from(format)];
        let response = self
            .execute(Op::InitiateOpenCapture.code(), &params)
            .await?;
        Ok(response.transaction_id)
    }

    /// StartEnumHandles (0x101D, PTP 1.1); returns the enumeration handle.
    pub async fn start_enum_handles(
        &mut self,
        storage_id: u32,
        format: u16,
        parent: u32,
    ) -> Result<u32, C::Error> {
        let params = [storage_id, u32::from(format), parent];
        let response = self.execute(Op::StartEnumHandles.code(), &params).await?;
        Ok(response.param(0))
    }

    /// EnumHandles (0x101E, PTP 1.1): the next handles of an enumeration.
    pub async fn enum_handles<'o>(
        &mut self,
        enum_handle: u32,
        max_handles: u32,
        out: &'o mut [u8],
    ) -> Result<Array<'o, u32>, C::Error> {
        let bytes = self
            .data_in_to(Op::EnumHandles.code(), &[enum_handle, max_handles], out)
            .await?;
        Ok(Reader::new(bytes).array("ObjectHandles")?)
    }

    /// StopEnumHandles (0x101F, PTP 1.1).
    pub async fn stop_enum_handles(&mut self, enum_handle: u32) -> Result<(), C::Error> {
        self.execute(Op::StopEnumHandles.code(), &[enum_handle])
            .await?;
        Ok(())
    }

    /// GetVendorExtensionMaps (0x1020, PTP 1.1): the raw dataset.
    pub async fn get_vendor_extension_maps<'o>(
        &mut self,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], C::Error> {
        self.data_in_to(Op::GetVendorExtensionMaps.code(), &[], out)
            .await
    }

    /// GetVendorDeviceInfo (0x1021, PTP 1.1): DeviceInfo for one extension.
    pub async fn get_vendor_device_info<'o>(
        &mut self,
        vendor_extension_id: u32,
        out: &'o mut [u8],
    ) -> Result<DeviceInfo<'o>, C::Error> {
        let bytes = self
            .data_in_to(Op::GetVendorDeviceInfo.code(), &[vendor_extension_id], out)
            .await?;
        Ok(DeviceInfo::parse(bytes)?)
    }

    /// GetResizedImageObject (0x1022, PTP 1.1): the image resized by the
    /// device (height 0 keeps the aspect ratio) into `sink`.
    pub async fn get_resized_image_object(
        &mut self,
        handle: u32,
        width: u32,
        height: u32,
        sink: impl DataSink,
    ) -> Result<(), C::Error> {
        let params = [handle, width, height];
        self.data_in(Op::GetResizedImageObject.code(), &params, sink)
            .await?;
        Ok(())
    }

    /// GetFilesystemManifest (0x1023, PTP 1.1): the raw manifest dataset
    /// into `sink` (it can be large).
    pub async fn get_filesystem_manifest(
        &mut self,
        storage_id: u32,
        format: u16,
        parent: u32,
        sink: impl DataSink,
    ) -> Result<(), C::Error> {
        let params = [storage_id, u32::from(format), parent];
        self.data_in(Op::GetFilesystemManifest.code(), &params, sink)
            .await?;
        Ok(())
    }

    /// GetStreamInfo (0x1024, PTP 1.1).
    pub async fn get_stream_info(&mut self, stream_type: u32) -> Result<StreamInfo, C::Error> {
        let mut out = [0u8; 2 * StreamInfo::LEN];
        let mut sink = SliceSink::new(&mut out);
        self.data_in(Op::GetStreamInfo.code(), &[stream_type], &mut sink)
            .await?;
        Ok(StreamInfo::parse(sink.data())?)
    }

    /// GetStream (0x1025, PTP 1.1): stream data into `sink` until it
    /// returns [`DataError::Stopped`](super::DataError::Stopped), which
    /// cancels the transaction (the call then returns that error).
    pub async fn get_stream(&mut self, sink: impl DataSink) -> Result<(), C::Error> {
        self.data_in(Op::GetStream.code(), &[], sink).await?;
        Ok(())
    }
}

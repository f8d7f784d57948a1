//! Typed methods for the MTP object-property operations (MTP 1.1, 0x98xx).
//! A response other than OK is [`ClientError::Response`].

use super::{Channel, Client, ClientError, Clock, EmitSource, NewObject};
use crate::codes::mtp::Operation as Op;
use crate::dataset::{ObjectPropDesc, ObjectPropList};
use crate::wire::{Array, DataType, Reader, Value, Writer};

type Result<T, E> = core::result::Result<T, ClientError<E>>;

impl<C: Channel, K: Clock, B: AsMut<[u8]>> Client<C, K, B> {
    /// GetObjectPropsSupported (0x9801): property codes for a format.
    pub async fn get_object_props_supported<'o>(
        &mut self,
        format: u16,
        out: &'o mut [u8],
    ) -> Result<Array<'o, u16>, C::Error> {
        let params = [u32::from(format)];
        let bytes = self
            .data_in_to(Op::GetObjectPropsSupported.code(), &params, out)
            .await?;
        Ok(Reader::new(bytes).array("ObjectPropCodes")?)
    }

    /// GetObjectPropDesc (0x9802).
    pub async fn get_object_prop_desc<'o>(
        &mut self,
        property: u16,
        format: u16,
        out: &'o mut [u8],
    ) -> Result<ObjectPropDesc<'o>, C::Error> {
        let params = [u32::from(property), u32::from(format)];
        let bytes = self
            .data_in_to(Op::GetObjectPropDesc.code(), &params, out)
            .await?;
        Ok(ObjectPropDesc::parse(bytes)?)
    }

    /// GetObjectPropValue (0x9803): the raw value bytes.
    pub async fn get_object_prop_value<'o>(
        &mut self,
        handle: u32,
        property: u16,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], C::Error> {
        let params = [handle, u32::from(property)];
        self.data_in_to(Op::GetObjectPropValue.code(), &params, out)
            .await
    }

    /// GetObjectPropValue (0x9803), decoded as `data_type` (from the
    /// property's description).
    pub async fn get_object_prop_value_as<'o>(
        &mut self,
        handle: u32,
        property: u16,
        data_type: DataType,
        out: &'o mut [u8],
    ) -> Result<Value<'o>, C::Error> {
        let bytes = self.get_object_prop_value(handle, property, out).await?;
        Ok(Value::read(
            &mut Reader::new(bytes),
            "ObjectPropValue",
            data_type,
        )?)
    }

    /// SetObjectPropValue (0x9804).
    pub async fn set_object_prop_value(
        &mut self,
        handle: u32,
        property: u16,
        value: &Value<'_>,
    ) -> Result<(), C::Error> {
        let source = EmitSource::new(value.encoded_len(), |buffer: &mut [u8]| {
            let mut writer = Writer::new(buffer);
            value.write(&mut writer).map(|()| writer.position())
        });
        let params = [handle, u32::from(property)];
        self.data_out(Op::SetObjectPropValue.code(), &params, source)
            .await?;
        Ok(())
    }

    /// GetObjectPropList (0x9805): properties of `handle` (0xFFFFFFFF: all
    /// objects), filtered by format (0 all), property (0xFFFFFFFF all) or
    /// group, down to `depth` levels.
    pub async fn get_object_prop_list<'o>(
        &mut self,
        handle: u32,
        format: u32,
        property: u32,
        group: u32,
        depth: u32,
        out: &'o mut [u8],
    ) -> Result<ObjectPropList<'o>, C::Error> {
        let params = [handle, format, property, group, depth];
        let bytes = self
            .data_in_to(Op::GetObjectPropList.code(), &params, out)
            .await?;
        Ok(ObjectPropList::parse(bytes)?)
    }

    /// SetObjectPropList (0x9806).
    pub async fn set_object_prop_list(
        &mut self,
        list: &ObjectPropList<'_>,
    ) -> Result<(), C::Error> {
        let source = EmitSource::new(list.buffer_len(), |buffer: &mut [u8]| list.emit(buffer));
        self.data_out(Op::SetObjectPropList.code(), &[], source)
            .await?;
        Ok(())
    }

    /// GetInterdependentPropDesc (0x9807): the raw dataset.
    pub async fn get_interdependent_prop_desc<'o>(
        &mut self,
        format: u16,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], C::Error> {
        let params = [u32::from(format)];
        self.data_in_to(Op::GetInterdependentPropDesc.code(), &params, out)
            .await
    }

    /// SendObjectPropList (0x9808): announces an object of `size` bytes
    /// with its properties, for the next SendObject.
    pub async fn send_object_prop_list(
        &mut self,
        storage_id: u32,
        parent: u32,
        format: u16,
        size: u64,
        list: &ObjectPropList<'_>,
    ) -> Result<NewObject, C::Error> {
        let source = EmitSource::new(list.buffer_len(), |buffer: &mut [u8]| list.emit(buffer));
        let params = [
            storage_id,
            parent,
            u32::from(format),
            (size >> 32) as u32,
            size as u32,
        ];
        let response = self
            .data_out(Op::SendObjectPropList.code(), &params, source)
            .await?;
        Ok(NewObject {
            storage_id: response.param(0),
            parent: response.param(1),
            handle: response.param(2),
        })
    }

    /// GetObjectReferences (0x9810).
    pub async fn get_object_references<'o>(
        &mut self,
        handle: u32,
        out: &'o mut [u8],
    ) -> Result<Array<'o, u32>, C::Error> {
        let bytes = self
            .data_in_to(Op::GetObjectReferences.code(), &[handle], out)
            .await?;
        Ok(Reader::new(bytes).array("ObjectReferences")?)
    }

    /// SetObjectReferences (0x9811).
    pub async fn set_object_references(
        &mut self,
        handle: u32,
        references: &[u32],
    ) -> Result<(), C::Error> {
        let array = Array::Slice(references);
        let source = EmitSource::new(array.encoded_len(), |buffer: &mut [u8]| {
            let mut writer = Writer::new(buffer);
            array.write(&mut writer).map(|()| writer.position())
        });
        self.data_out(Op::SetObjectReferences.code(), &[handle], source)
            .await?;
        Ok(())
    }
}

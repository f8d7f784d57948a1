//! Turns parsed spec files into Rust: per vendor a module with one code enum
//! and one sorted `CodeInfo` table per kind, and a `Vendor` enum over all files.

use crate::parse::{Data, Entry, Kind, Spec};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::path::PathBuf;

/// A parsed spec file and where it was read from (for `include_str!`).
pub struct SpecFile {
    pub path: PathBuf,
    pub spec: Spec,
}

/// The enum type and table static generated for a kind.
fn names(kind: Kind) -> (&'static str, &'static str, &'static str) {
    match kind {
        Kind::Operation => ("Operation", "OPERATIONS", "operation"),
        Kind::Response => ("Response", "RESPONSES", "response"),
        Kind::Event => ("Event", "EVENTS", "event"),
        Kind::DeviceProperty => ("DeviceProperty", "DEVICE_PROPERTIES", "device property"),
        Kind::ObjectFormat => ("ObjectFormat", "OBJECT_FORMATS", "object format"),
        Kind::ObjectProperty => ("ObjectProperty", "OBJECT_PROPERTIES", "MTP object property"),
        Kind::DeviceProperty32 => (
            "DeviceProperty32",
            "DEVICE_PROPERTIES_32",
            "32-bit device property",
        ),
    }
}

/// A `0x1234u16` (or `0x0001D000u32`) literal, so expanded code reads like the spec.
fn hex(code: u32, kind: Kind) -> Literal {
    let text = match kind {
        Kind::DeviceProperty32 => format!("0x{code:08X}u32"),
        _ => format!("0x{code:04X}u16"),
    };
    text.parse().unwrap_or_else(|_| Literal::u32_suffixed(code))
}

/// `0x1234` or `0x0001D000`, as docs show a code.
fn shown(code: u32, kind: Kind) -> String {
    match kind {
        Kind::DeviceProperty32 => format!("0x{code:08X}"),
        _ => format!("0x{code:04X}"),
    }
}

fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// `canon_eos` -> `CanonEos`.
pub fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Generates everything for the given files.
pub fn generate(files: &[SpecFile]) -> TokenStream {
    let modules = files.iter().map(generate_vendor);
    let vendor_enum = generate_vendor_enum(files);
    quote! {
        #vendor_enum
        #(#modules)*
    }
}

fn generate_vendor(file: &SpecFile) -> TokenStream {
    let spec = &file.spec;
    let module = ident(&spec.ident);
    let path = file.path.to_string_lossy().into_owned();
    let doc = format!("Code tables of the {} vendor extension.", spec.display_name);
    let kinds = Kind::ALL.iter().map(|&kind| generate_kind(spec, kind));
    quote! {
        #[doc = #doc]
        pub mod #module {
            // Makes Cargo rebuild when the spec file changes.
            const _SPEC: &str = include_str!(#path);
            #(#kinds)*
        }
    }
}

fn entry_doc(entry: &Entry, kind: Kind, what: &str, vendor: &str) -> String {
    let code = shown(entry.code, kind);
    let mut doc = match &entry.description {
        Some(description) => format!("`{code}`: {description}"),
        None => format!("`{code}`: {vendor} {what} `{}`.", entry.name),
    };
    if !entry.aliases.is_empty() {
        doc.push_str(&format!(" Also named {}.", entry.aliases.join(", ")));
    }
    doc
}

fn generate_kind(spec: &Spec, kind: Kind) -> TokenStream {
    let (type_name, table_name, what) = names(kind);
    let type_ident = ident(type_name);
    let code_type = ident(if kind == Kind::DeviceProperty32 {
        "u32"
    } else {
        "u16"
    });
    let defmt_hex = if kind == Kind::DeviceProperty32 {
        "{=u32:#010x}"
    } else {
        "{=u16:#06x}"
    };
    let table_ident = ident(table_name);
    let entries = spec.table(kind);
    let count = entries.len();
    let vendor = &spec.display_name;

    let variants = entries.iter().map(|entry| {
        let name = ident(&entry.name);
        let doc = entry_doc(entry, kind, what, vendor);
        quote! { #[doc = #doc] #name, }
    });
    let infos = entries.iter().map(|entry| code_info(entry, kind));
    let to_code = entries.iter().map(|entry| {
        let name = ident(&entry.name);
        let code = hex(entry.code, kind);
        quote! { Self::#name => #code, }
    });
    let from_code = entries.iter().map(|entry| {
        let name = ident(&entry.name);
        let code = hex(entry.code, kind);
        quote! { #code => Self::#name, }
    });
    let to_index = entries.iter().enumerate().map(|(index, entry)| {
        let name = ident(&entry.name);
        quote! { Self::#name => Some(#index), }
    });
    let all = entries.iter().map(|entry| {
        let name = ident(&entry.name);
        quote! { Self::#name, }
    });
    let type_doc =
        format!("A {vendor} {what} code; `Unknown` holds any code this table does not name.");
    let table_doc = format!("Every named {vendor} {what}, sorted by code.");
    let unknown_doc = format!(
        "A code without a {vendor} {what} name. Build values with `from_code`, which never \
         wraps a named code."
    );

    quote! {
        #[doc = #type_doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #type_ident {
            #(#variants)*
            #[doc = #unknown_doc]
            Unknown(#code_type),
        }

        #[doc = #table_doc]
        pub static #table_ident: [crate::codes::CodeInfo; #count] = [#(#infos),*];

        impl #type_ident {
            /// Every named value, sorted by code.
            pub const ALL: [Self; #count] = [#(#all)*];

            /// The wire code.
            pub const fn code(self) -> #code_type {
                match self {
                    #(#to_code)*
                    Self::Unknown(code) => code,
                }
            }

            /// The value for a wire code (`Unknown` when the table has no name for it).
            pub const fn from_code(code: #code_type) -> Self {
                #[allow(unreachable_patterns)]
                match code {
                    #(#from_code)*
                    code => Self::Unknown(code),
                }
            }

            /// The table entry (name, description, ...), `None` for `Unknown`.
            pub fn info(self) -> Option<&'static crate::codes::CodeInfo> {
                let index: Option<usize> = match self {
                    #(#to_index)*
                    Self::Unknown(_) => None,
                };
                index.and_then(|index| #table_ident.get(index))
            }

            /// The name from the spec, `None` for `Unknown`.
            pub fn name(self) -> Option<&'static str> {
                self.info().map(|info| info.name)
            }

            /// Looks a value up by its name, ignoring ASCII case.
            pub fn from_name(name: &str) -> Option<Self> {
                crate::codes::find_by_name(&#table_ident, name)
                    .and_then(|info| #code_type::try_from(info.code).ok())
                    .map(Self::from_code)
            }
        }

        impl From<#code_type> for #type_ident {
            fn from(code: #code_type) -> Self {
                Self::from_code(code)
            }
        }

        impl From<#type_ident> for #code_type {
            fn from(value: #type_ident) -> #code_type {
                value.code()
            }
        }

        impl core::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "0x{:04X}", self.code()),
                }
            }
        }

        #[cfg(feature = "defmt")]
        impl defmt::Format for #type_ident {
            fn format(&self, f: defmt::Formatter<'_>) {
                match self.name() {
                    Some(name) => defmt::write!(f, "{=str}", name),
                    None => defmt::write!(f, #defmt_hex, self.code()),
                }
            }
        }
    }
}

fn code_info(entry: &Entry, kind: Kind) -> TokenStream {
    let code = hex(entry.code, kind);
    let name = &entry.name;
    let description = match &entry.description {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    };
    let data = match entry.data {
        Some(Data::None) => quote! { Some(crate::codes::DataDirection::None) },
        Some(Data::In) => quote! { Some(crate::codes::DataDirection::In) },
        Some(Data::Out) => quote! { Some(crate::codes::DataDirection::Out) },
        None => quote! { None },
    };
    let params = match &entry.params {
        Some(params) => quote! { Some(&[#(#params),*]) },
        None => quote! { None },
    };
    let data_type = match entry.data_type {
        Some(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { Some(crate::DataType::from_code(#code)) }
        }
        None => quote! { None },
    };
    let aliases = &entry.aliases;
    quote! {
        crate::codes::CodeInfo {
            code: #code as u32,
            name: #name,
            aliases: &[#(#aliases),*],
            description: #description,
            data: #data,
            params: #params,
            data_type: #data_type,
        }
    }
}

fn generate_vendor_enum(files: &[SpecFile]) -> TokenStream {
    let count = files.len();
    let variant = |spec: &Spec| ident(&camel(&spec.ident));
    let variants = files.iter().map(|file| {
        let name = variant(&file.spec);
        let doc = format!("{} (`{}`).", file.spec.display_name, file.spec.ident);
        quote! { #[doc = #doc] #name, }
    });
    let all = files.iter().map(|file| variant(&file.spec));
    let idents = files.iter().map(|file| {
        let name = variant(&file.spec);
        let text = &file.spec.ident;
        quote! { Self::#name => #text, }
    });
    let displays = files.iter().map(|file| {
        let name = variant(&file.spec);
        let text = &file.spec.display_name;
        quote! { Self::#name => #text, }
    });
    let extends = files.iter().map(|file| {
        let name = variant(&file.spec);
        match &file.spec.extends {
            Some(parent) => {
                let parent = ident(&camel(parent));
                quote! { Self::#name => Some(Self::#parent), }
            }
            None => quote! { Self::#name => None, },
        }
    });
    let tables = files.iter().map(|file| {
        let name = variant(&file.spec);
        let module = ident(&file.spec.ident);
        let arms = Kind::ALL.iter().map(|&kind| {
            let (_, table, _) = names(kind);
            let table = ident(table);
            let kind = ident(names(kind).0);
            quote! { crate::codes::Kind::#kind => &#module::#table, }
        });
        quote! { Self::#name => match kind { #(#arms)* }, }
    });
    quote! {
        /// A vendor extension that has code tables, one per spec file.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        pub enum Vendor {
            #(#variants)*
        }

        impl Vendor {
            /// Every vendor, in spec file order.
            pub const ALL: [Vendor; #count] = [#(Self::#all),*];

            /// The short identifier (the spec file's stem), e.g. `canon_eos`.
            pub const fn ident(self) -> &'static str {
                match self { #(#idents)* }
            }

            /// The name shown to users, e.g. `Canon EOS`.
            pub const fn display_name(self) -> &'static str {
                match self { #(#displays)* }
            }

            /// The vendor whose tables are consulted next, if any.
            pub const fn extends(self) -> Option<Vendor> {
                match self { #(#extends)* }
            }

            /// This vendor's own table of one kind, sorted by code.
            pub fn table(self, kind: crate::codes::Kind) -> &'static [crate::codes::CodeInfo] {
                match self { #(#tables)* }
            }
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::parse::parse;

    fn generated(source: &str, stem: &str) -> String {
        let spec = parse(source, stem).unwrap();
        generate(&[SpecFile {
            path: PathBuf::from("/spec/x.spec"),
            spec,
        }])
        .to_string()
    }

    #[test]
    fn camel_case_of_idents() {
        assert_eq!(camel("canon_eos"), "CanonEos");
        assert_eq!(camel("standard"), "Standard");
    }

    #[test]
    fn generates_enum_table_and_lookups() {
        let out = generated(
            "vendor canon_eos \"Canon EOS\"\n[operations]\n0x910F RemoteRelease none - | Releases the shutter.\n\
             [device_properties]\n0xD101 Aperture UINT32\n",
            "canon_eos",
        );
        for needle in [
            "pub mod canon_eos",
            "include_str ! (\"/spec/x.spec\")",
            "pub enum Operation",
            "RemoteRelease ,",
            "Unknown (u16)",
            "pub static OPERATIONS : [crate :: codes :: CodeInfo ; 1usize]",
            "Self :: RemoteRelease => 0x910Fu16",
            "0x910Fu16 => Self :: RemoteRelease",
            "\"`0x910F`: Releases the shutter.\"",
            "\"`0xD101`: Canon EOS device property `Aperture`.\"",
            "Some (crate :: DataType :: from_code (6))",
            "Some (crate :: codes :: DataDirection :: None)",
            "pub static RESPONSES : [crate :: codes :: CodeInfo ; 0usize]",
            "pub static DEVICE_PROPERTIES_32 : [crate :: codes :: CodeInfo ; 0usize]",
            "pub enum Vendor",
            "CanonEos ,",
            "Self :: CanonEos => \"Canon EOS\"",
        ] {
            assert!(out.contains(needle), "missing `{needle}` in:\n{out}");
        }
    }

    #[test]
    fn generated_code_is_valid_rust() {
        let out = generated(
            "vendor v \"V\"\n[events]\n0x4002 ObjectAdded\n[operations]\n0x1001 A in StorageID,Parent\n",
            "v",
        );
        syn::parse_file(&out).unwrap();
    }
}

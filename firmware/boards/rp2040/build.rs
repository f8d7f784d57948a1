//! Link scripts: memory.x for the Pico (boot2 stage in the first 256 bytes
//! of its 2 MiB flash), cortex-m-rt's link.x, embassy-rp's link-rp.x (places
//! boot2) and defmt's defmt.x.

use std::{env, fs, path::PathBuf};

const MEMORY_X: &str = "MEMORY
{
  BOOT2 : ORIGIN = 0x10000000, LENGTH = 0x100
  FLASH : ORIGIN = 0x10000100, LENGTH = 2048K - 0x100
  RAM   : ORIGIN = 0x20000000, LENGTH = 256K
}
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    fs::write(out.join("memory.x"), MEMORY_X)?;
    println!("cargo:rustc-link-search={}", out.display());
    for arg in ["--nmagic", "-Tlink.x", "-Tlink-rp.x", "-Tdefmt.x"] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}

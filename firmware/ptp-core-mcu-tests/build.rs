//! Puts `memory.x` where the linker finds it and passes the link scripts.
//!
//! Both emulated machines (`microbit`, `mps2-an386`) are used with the same
//! map: 256 KiB of flash at 0x0000_0000 and 16 KiB of RAM at 0x2000_0000
//! (the nRF51 of the micro:bit has no more; the MPS2 has more, unused).

use std::{env, fs, path::PathBuf};

const MEMORY_X: &str = "MEMORY
{
  FLASH : ORIGIN = 0x00000000, LENGTH = 256K
  RAM   : ORIGIN = 0x20000000, LENGTH = 16K
}
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    fs::write(out.join("memory.x"), MEMORY_X)?;
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=build.rs");
    // cortex-m-rt's link.x includes memory.x; defmt.x places the log strings.
    for arg in ["--nmagic", "-Tlink.x", "-Tdefmt.x"] {
        println!("cargo:rustc-link-arg-tests={arg}");
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    Ok(())
}

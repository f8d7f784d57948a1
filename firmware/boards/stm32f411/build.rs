//! Link scripts: cortex-m-rt's link.x (with the memory.x that
//! embassy-stm32's `memory-x` feature provides) and defmt's defmt.x.

fn main() {
    for arg in ["--nmagic", "-Tlink.x", "-Tdefmt.x"] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

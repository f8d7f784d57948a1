//! Values the optimiser cannot see through, and a sink it cannot drop.

use core::hint::black_box;

static BYTES: [u8; 1024] = [0; 1024];
static WORDS: [u32; 8] = [0; 8];
static HALVES: [u16; 8] = [0; 8];

/// Input bytes of unknown length and content.
pub fn bytes() -> &'static [u8] {
    black_box(&BYTES[..])
}

/// `u32` parameters of unknown count and values.
pub fn words() -> &'static [u32] {
    black_box(&WORDS[..])
}

/// `u16` codes of unknown count and values.
pub fn halves() -> &'static [u16] {
    black_box(&HALVES[..])
}

/// A value the optimiser knows nothing about.
pub fn any<T>(value: T) -> T {
    black_box(value)
}

/// An output buffer of unknown length over `storage`.
pub fn out(storage: &mut [u8]) -> &mut [u8] {
    black_box(storage)
}

/// Keeps a result alive, so the call that made it stays.
pub fn keep<T>(value: T) {
    black_box(value);
}

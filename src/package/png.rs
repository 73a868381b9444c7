//! PNG icon headers: the image size from the `IHDR` chunk, read by the `png` crate without
//! decoding pixels, so a 100000×100000 icon costs nothing.

use std::io::Cursor;

/// The signature every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Pixel size of a PNG image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PngSize {
    pub width: u32,
    pub height: u32,
}

/// Why bytes are not a usable PNG image.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PngProblem {
    #[error("it does not start with the PNG signature")]
    NotPng,
    #[error("its header is invalid ({0})")]
    BadHeader(String),
    #[error("its width or height is zero")]
    ZeroSize,
}

/// Reads the size from a PNG's header. The first chunk must be a valid 13-byte `IHDR`.
pub fn png_size(bytes: &[u8]) -> Result<PngSize, PngProblem> {
    if !bytes.starts_with(&PNG_SIGNATURE) {
        return Err(PngProblem::NotPng);
    }
    // The png crate checks the chunk order, the IHDR length and CRC; we never ask for pixels.
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    let info = decoder
        .read_header_info()
        .map_err(|error| PngProblem::BadHeader(error.to_string()))?;
    let size = PngSize {
        width: info.width,
        height: info.height,
    };
    if size.width == 0 || size.height == 0 {
        return Err(PngProblem::ZeroSize);
    }
    Ok(size)
}

/// A minimal valid PNG header (signature + IHDR) of the given size, for tests and fixtures.
#[cfg(test)]
pub(crate) fn header_only_png(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut bytes = PNG_SIGNATURE.to_vec();
    bytes.extend_from_slice(&13u32.to_be_bytes());
    let chunk: Vec<u8> = b"IHDR".iter().chain(&ihdr).copied().collect();
    bytes.extend_from_slice(&chunk);
    bytes.extend_from_slice(&crc32(&chunk).to_be_bytes());
    bytes
}

#[cfg(test)]
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size comes from IHDR, even for a huge image that is never decoded.
    #[test]
    fn reads_size_from_header() {
        assert_eq!(
            png_size(&header_only_png(60, 60)),
            Ok(PngSize {
                width: 60,
                height: 60
            })
        );
        assert_eq!(
            png_size(&header_only_png(100_000, 100_000)),
            Ok(PngSize {
                width: 100_000,
                height: 100_000
            })
        );
    }

    /// Bytes that are not a PNG, a truncated header or a zero size are problems.
    #[test]
    fn rejects_broken_images() {
        assert_eq!(png_size(b"GIF89a"), Err(PngProblem::NotPng));
        assert!(matches!(
            png_size(&PNG_SIGNATURE),
            Err(PngProblem::BadHeader(_))
        ));
        let zero = header_only_png(0, 16);
        assert!(png_size(&zero).is_err());
        let mut bad_crc = header_only_png(16, 16);
        let last = bad_crc.len() - 1;
        bad_crc[last] ^= 0xFF;
        assert!(png_size(&bad_crc).is_err());
    }
}

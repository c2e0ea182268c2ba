//! UTF-16 with a byte-order mark.
//!
//! Windows' Notepad and Word's "Unicode text" save UTF-16, little-endian, behind the mark `FF FE`
//! (big-endian behind `FE FF`). Without a mark UTF-16 cannot be told from binary reliably, so only
//! marked files are read. An odd length or an unpaired surrogate means the file is damaged.
//!
//! Before: `FF FE 48 00 E3 1E 70 00` (after the mark: `H`, `ợ`, `p`, little-endian). After: `"Hợp"`.

/// Byte order of a UTF-16 file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    /// Little-endian (`FF FE`).
    Little,
    /// Big-endian (`FE FF`).
    Big,
}

/// The text of UTF-16 `bytes` (without their byte-order mark), or `None` when they are not valid.
pub fn decode(bytes: &[u8], endian: Endian) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let unit = match endian {
        Endian::Little => u16::from_le_bytes,
        Endian::Big => u16::from_be_bytes,
    };
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, endian: Endian) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| match endian {
                Endian::Little => u.to_le_bytes(),
                Endian::Big => u.to_be_bytes(),
            })
            .collect()
    }

    #[test]
    fn both_byte_orders_decode_a_headline() {
        let text = "Việt Nam – Hàn Quốc hợp tác xây dựng Chính phủ điện tử";
        for e in [Endian::Little, Endian::Big] {
            assert_eq!(decode(&encode(text, e), e).as_deref(), Some(text));
        }
    }

    #[test]
    fn odd_length_and_lone_surrogates_are_invalid() {
        assert_eq!(decode(&[0x48, 0x00, 0x69], Endian::Little), None);
        assert_eq!(decode(&[0x00, 0xD8, 0x41, 0x00], Endian::Little), None);
    }
}

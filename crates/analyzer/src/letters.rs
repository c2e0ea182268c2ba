//! Letter tests with a fast path for the Latin script.
//!
//! `char::is_alphabetic` answers non-ASCII characters by searching Unicode tables, and Vietnamese
//! text is mostly non-ASCII letters (`ệ`, `ơ`, `đ`), so tokenizing spent much of its time there. Every
//! code point of Latin-1 Supplement (except `×` and `÷`), Latin Extended-A and -B and Latin Extended
//! Additional (where `ạ`…`ỹ` live) is a letter, so those ranges are answered by a range check; any
//! other character falls back to the standard library, and the answers are the same for every `char`
//! (tested below over all of them).

/// Whether a Latin-script letter block holds `c`, and if so whether `c` is a letter (all of them
/// are but `×` and `÷`); `None` outside those blocks.
#[inline]
fn latin_letter(c: char) -> Option<bool> {
    match c as u32 {
        0xC0..=0x24F => Some(c != '×' && c != '÷'),
        0x1E00..=0x1EFF => Some(true),
        _ => None,
    }
}

/// `c.is_alphabetic()`, fast for Vietnamese letters.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    latin_letter(c).unwrap_or_else(|| c.is_alphabetic())
}

/// `c.is_alphanumeric()`, fast for Vietnamese letters.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    latin_letter(c).unwrap_or_else(|| c.is_alphanumeric())
}

/// `is_combining_mark(c)`, without a table lookup for ASCII and the Latin letter blocks (which
/// hold no combining mark: Vietnamese text asks this of nearly every character it has).
#[inline]
pub fn is_combining_mark(c: char) -> bool {
    !c.is_ascii() && latin_letter(c).is_none() && unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_are_letters() {
        for c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐƠƯ".chars()
        {
            assert!(is_alphabetic(c) && is_alphanumeric(c), "{c}");
        }
        for c in "×÷–“”…·".chars() {
            assert!(!is_alphabetic(c) && !is_alphanumeric(c), "{c}");
        }
    }

    #[test]
    fn same_answers_as_the_standard_library_for_every_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(
                is_combining_mark(c),
                unicode_normalization::char::is_combining_mark(c),
                "{c:?}"
            );
        }
    }
}

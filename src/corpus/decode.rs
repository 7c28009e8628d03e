//! Bytes to text for one law file: UTF-8 or GB18030, binaries refused, line ends normalised.

use std::borrow::Cow;

use super::parse::ParseError;

/// Decodes a file: UTF-8 (BOM stripped) or else GB18030; line ends normalised to LF.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    if bytes.contains(&0) {
        return Err(ParseError::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(ParseError::Encoding)?,
    };
    // GB18030 maps almost any byte soup to *some* characters; binaries betray
    // themselves by C0 control characters (more than ~2% of the bytes).
    let bytes = text.as_bytes();
    let control: usize = bytes
        .iter()
        .map(|&b| usize::from(b < 0x20 || b == 0x7F) - usize::from(matches!(b, 9 | 10 | 12 | 13)))
        .sum();
    if control * 50 > bytes.len() {
        return Err(ParseError::Binary);
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    })
}

//! A small, strict `multipart/form-data` reader (RFC 7578) for the document vault's upload
//! form: the whole body is already in memory (bounded by the route's limit), so parts are
//! slices of it. The policy gate uses it to find the form's CSRF token; the vault to find the
//! file. Anything malformed is refused rather than guessed at.

/// One part: its field name, the file name a browser gave (for a file), and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    pub filename: Option<String>,
    pub data: &'a [u8],
}

/// Whether a Content-Type header names a multipart form.
pub fn is_multipart(content_type: &str) -> bool {
    content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
}

/// The boundary parameter of a multipart Content-Type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A header parameter such as `name="file"` of a Content-Disposition value.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The parts of a multipart body, or `None` when it is not well formed.
pub fn parse<'a>(content_type: &str, body: &'a [u8]) -> Option<Vec<Part<'a>>> {
    let boundary = boundary(content_type)?;
    let delimiter = format!("--{boundary}");
    let mut rest = body;
    // The preamble (usually empty) ends at the first delimiter.
    let start = find(rest, delimiter.as_bytes())?;
    rest = &rest[start + delimiter.len()..];
    let separator = format!("\r\n--{boundary}");
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        rest = &rest[head_end + 4..];
        let end = find(rest, separator.as_bytes())?;
        let data = &rest[..end];
        rest = &rest[end + separator.len()..];
        let disposition = head.split("\r\n").find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-disposition")
                .then(|| v.trim().to_owned())
        })?;
        parts.push(Part {
            name: param(&disposition, "name")?,
            filename: param(&disposition, "filename"),
            data,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "multipart/form-data; boundary=----x";

    #[test]
    fn reads_fields_and_files() {
        let body = b"------x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n------x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\nbytes\r\n------x--\r\n";
        let parts = parse(CT, body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].data, b"abc");
        assert_eq!(parts[1].filename.as_deref(), Some("a.pdf"));
        assert_eq!(parts[1].data, b"%PDF-1.4\r\n\r\nbytes");
    }

    #[test]
    fn malformed_bodies_are_refused() {
        assert!(parse(CT, b"no delimiter").is_none());
        assert!(parse("multipart/form-data", b"------x--").is_none());
        assert!(
            parse(
                CT,
                b"------x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"
            )
            .is_none()
        );
        assert_eq!(parse(CT, b"------x--\r\n"), Some(Vec::new()));
    }
}

//! Credentials: argon2id password hashes, random secrets (session ids, tokens, recovery codes),
//! and the TOTP second factor (RFC 6238: SHA-1, 30-second steps, 6 digits) with its QR code.

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("a password needs at least {MIN_PASSWORD_LEN} characters")]
    PasswordTooShort,
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the operating system's random source failed: {0}")]
    Random(String),
}

/// An argon2id hash (PHC string) of a password that meets the length rule.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    use argon2::PasswordHasher;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AuthError::PasswordTooShort);
    }
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Whether `password` matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::password_hash::phc::PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> Result<String, AuthError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(hex::encode(buffer))
}

/// A fresh TOTP secret (160 bits, as RFC 4226 recommends), base32 as authenticator apps take it.
pub fn new_totp_secret() -> Result<String, AuthError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(totp_rs::Secret::from(bytes).to_base32())
}

fn totp(secret: &str) -> Option<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret).ok()?;
    totp_rs::Builder::new().with_secret(secret).build().ok()
}

/// The time step a TOTP code is valid for at `unix_seconds` (one step of clock skew either
/// way), or `None`. The caller must still refuse a step it accepted before.
pub fn totp_step(secret: &str, code: &str, unix_seconds: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp(secret)?.check(&code, unix_seconds)
}

/// The code an authenticator app shows at `unix_seconds` (tests and the setup check use it).
pub fn totp_code(secret: &str, unix_seconds: u64) -> Option<String> {
    Some(totp(secret)?.generate(unix_seconds).to_string())
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &str, username: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let account = utf8_percent_encode(username, NON_ALPHANUMERIC);
    format!(
        "otpauth://totp/iep504:{account}?secret={secret}&issuer=iep504&algorithm=SHA1&digits=6&period=30"
    )
}

/// The QR code of `text` as an inline SVG element (no XML prolog), labelled for screen readers.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build();
    let start = svg.find("<svg")?;
    let label = label.replace(['"', '<', '>', '&'], " ");
    Some(svg[start..].replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}

/// Ten single-use recovery codes, e.g. `3f9a2-c81d0`.
pub fn new_recovery_codes() -> Result<Vec<String>, AuthError> {
    (0..10)
        .map(|_| {
            let hex = random_hex(5)?;
            Ok(format!("{}-{}", &hex[..5], &hex[5..]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(matches!(
            hash_password("short"),
            Err(AuthError::PasswordTooShort)
        ));
    }

    #[test]
    fn totp_matches_rfc_6238_and_accepts_one_step_of_skew() {
        // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives 94287082
        // (8 digits); the 6-digit code is its last six digits.
        let secret = totp_rs::Secret::from(*b"12345678901234567890").to_base32();
        assert_eq!(totp_code(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(totp_step(&secret, "287082", 59), Some(1));
        assert_eq!(totp_step(&secret, "287082", 59 + 30), Some(1));
        assert_eq!(totp_step(&secret, "287082", 59 + 90), None);
        assert_eq!(totp_step(&secret, "not a code", 59), None);
    }

    #[test]
    fn qr_code_is_inline_svg() {
        let svg = qr_svg(&otpauth_uri("JBSWY3DPEHPK3PXP", "pat kim"), "QR code").unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(otpauth_uri("S", "pat kim").contains("iep504:pat%20kim"));
    }
}

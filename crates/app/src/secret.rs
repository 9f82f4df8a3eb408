//! Secrets: random tokens, their stored hashes, and password hashing with argon2id.

use crate::AppError;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use sha2::{Digest, Sha256};

/// A random token of 32 bytes, hex-encoded (256 bits of entropy).
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random: {e}")))?;
    Ok(hex::encode(bytes))
}

/// What is stored for a token: its SHA-256, so a leaked table opens nothing.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// argon2id cost. `Standard` is OWASP's (19 MiB, 2 passes); `Fast` is for tests and demo data only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashCost {
    Standard,
    Fast,
}

fn argon(cost: HashCost) -> Result<Argon2<'static>, AppError> {
    let params = match cost {
        HashCost::Standard => Params::new(19 * 1024, 2, 1, None),
        HashCost::Fast => Params::new(64, 1, 1, None),
    }
    .map_err(|e| AppError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (`$argon2id$v=19$…`), off the async runtime.
pub async fn hash_password(password: &str, cost: HashCost) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        argon(cost)?
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks a password against a stored PHC string (the parameters come from the string).
pub async fn verify_password(password: &str, phc: &str) -> Result<bool, AppError> {
    let password = password.to_owned();
    let phc = phc.to_owned();
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return Ok(false);
        };
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// The server's key for secrets kept in the database (a platform's client secret): 32 bytes
/// given as 64 hexadecimal characters (`ESSAIM_SECRET_KEY` or a file). Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn parse(text: &str) -> Result<SecretKey, &'static str> {
        let bytes = hex::decode(text.trim()).map_err(|_| "secret_key_format")?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| "secret_key_format")?;
        Ok(SecretKey(key))
    }

    /// A new random key, as 64 hexadecimal characters.
    pub fn generate() -> Result<String, AppError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        Ok(hex::encode(bytes))
    }

    /// Encrypts `plain` (XChaCha20-Poly1305, a random nonce): nonce and sealed bytes.
    pub fn seal(&self, plain: &str) -> Result<(Vec<u8>, Vec<u8>), AppError> {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let cipher = chacha20poly1305::XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        let sealed = cipher
            .encrypt((&nonce).into(), plain.as_bytes())
            .map_err(|_| AppError::Internal("sealing a secret failed".into()))?;
        Ok((nonce.to_vec(), sealed))
    }

    /// Decrypts what [`SecretKey::seal`] gave; an error when the key is not the one that sealed
    /// it or the bytes were changed.
    pub fn open(&self, nonce: &[u8], sealed: &[u8]) -> Result<String, AppError> {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let cipher = chacha20poly1305::XChaCha20Poly1305::new((&self.0).into());
        let nonce: [u8; 24] = nonce
            .try_into()
            .map_err(|_| AppError::Internal("secret nonce unreadable".into()))?;
        let plain = cipher.decrypt((&nonce).into(), sealed).map_err(|_| {
            AppError::Internal("a kept secret cannot be opened with this server's key".into())
        })?;
        String::from_utf8(plain).map_err(|_| AppError::Internal("secret not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let key = SecretKey::parse(&SecretKey::generate().unwrap()).unwrap();
        let (nonce, sealed) = key.seal("client-secret-42").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"), "not in clear");
        assert_eq!(key.open(&nonce, &sealed).unwrap(), "client-secret-42");
        let other = SecretKey::parse(&SecretKey::generate().unwrap()).unwrap();
        assert!(other.open(&nonce, &sealed).is_err());
        let mut changed = sealed.clone();
        changed[0] ^= 1;
        assert!(key.open(&nonce, &changed).is_err());
        assert_eq!(SecretKey::parse("abcd"), Err("secret_key_format"));
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
    }
}

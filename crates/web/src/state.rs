//! What every handler receives.

use essaim_app::App;
use std::sync::Arc;

/// Web settings, read once by the CLI.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<Config>,
}

//! Who is acting: the signed-in person, and, inside a cooperative, their access there.

use crate::AppError;
use essaim_domain::access::{Access, Permission, RoleKind, Target};
use essaim_domain::account::User;
use essaim_domain::ids::{CooperativeId, SessionId};

/// A signed-in person, with where the request came from (for the audit log).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    /// The session, when signed in through the browser (absent for API tokens).
    pub session: Option<SessionId>,
    pub ip: String,
}

impl Actor {
    pub fn require_host_admin(&self) -> Result<(), AppError> {
        if self.user.is_host_admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A person acting inside one cooperative: every query of a use case taking this is scoped to
/// `cooperative`, and every permission asked of `access`.
#[derive(Clone, Debug)]
pub struct CoopActor {
    pub actor: Actor,
    pub cooperative: CooperativeId,
    pub slug: String,
    pub cooperative_name: String,
    pub kinds: Vec<RoleKind>,
    pub access: Access,
}

impl CoopActor {
    /// Fails with `Forbidden` unless the person may use `permission` on the whole cooperative.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.access.allows(permission, Target::Cooperative) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
    pub fn may(&self, permission: Permission) -> bool {
        self.access.allows(permission, Target::Cooperative)
    }
    pub fn user(&self) -> &User {
        &self.actor.user
    }
}

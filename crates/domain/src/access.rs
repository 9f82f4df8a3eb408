//! Who may do what: permissions, their scope, the roles that bundle them, and the one function that
//! decides (GDP-04). Every route and use case asks here; nothing else compares role names.
//! Knows nothing of sessions, HTTP or storage.

use crate::ids::ActivityId;
use std::collections::BTreeSet;

/// A fine-grained right inside one cooperative. Only rights that guard something built exist here;
/// each later capability adds its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Edit the cooperative's legal identity and logo.
    CooperativeSettings,
    /// See the people who have an account in the cooperative, and their roles.
    MemberRead,
    /// Add people to the cooperative and give or take their roles.
    MemberManage,
    /// Edit roles and the permissions they grant.
    RoleManage,
    /// See and revoke the signed-in sessions of the cooperative's people.
    SessionRevoke,
    /// Browse the audit log.
    AuditRead,
    /// See the background jobs (e-mails…) and retry failed ones.
    JobManage,
    /// Read people's files: identity, social situation, path (GDP-03: support roles only).
    PersonRead,
    /// Record people, edit their files and their path events.
    PersonManage,
    /// See activities (an entrepreneur: their own).
    ActivityRead,
    /// Create activities, edit them, choose who runs them and the split of remuneration.
    ActivityManage,
    /// See customers, the catalogue, quotes and invoices (an entrepreneur: their activities').
    SaleRead,
    /// Create and edit customers, catalogue items, quotes and invoice drafts; send them.
    SaleManage,
    /// Validate invoices and credit notes whatever their amount (they get their number, INV-12).
    InvoiceValidate,
    /// Record the payments customers make.
    PaymentRecord,
    /// Read the books: entries, balances, ledgers, journals, VAT summary, exports (FEC).
    BooksRead,
    /// Keep the books: chart of accounts, journals, manual entries, bank statements and matches.
    BooksManage,
    /// Close months and fiscal years (a closed period refuses new entries).
    BooksClose,
    /// See expense reports and supplier invoices (an entrepreneur: their activities').
    ExpenseRead,
    /// Fill in expense reports and record supplier invoices (an entrepreneur: for their activities).
    ExpenseManage,
    /// Validate or return expense reports and approve supplier invoices (EXP-05).
    ExpenseValidate,
    /// Prepare the SEPA transfers that refund expense reports and pay suppliers, and confirm them.
    ExpensePay,
    /// Prepare the monthly payroll: review and lock the variables, export them for the payroll
    /// bureau, import the payslips it returns (posted as the activities' salary cost).
    PayrollManage,
    /// Plan appointments and workshops, and read and write the coaches' private notes (issue 9).
    CoachingManage,
}

impl Permission {
    pub const ALL: [Permission; 24] = [
        Permission::CooperativeSettings,
        Permission::MemberRead,
        Permission::MemberManage,
        Permission::RoleManage,
        Permission::SessionRevoke,
        Permission::AuditRead,
        Permission::JobManage,
        Permission::PersonRead,
        Permission::PersonManage,
        Permission::ActivityRead,
        Permission::ActivityManage,
        Permission::SaleRead,
        Permission::SaleManage,
        Permission::InvoiceValidate,
        Permission::PaymentRecord,
        Permission::BooksRead,
        Permission::BooksManage,
        Permission::BooksClose,
        Permission::ExpenseRead,
        Permission::ExpenseManage,
        Permission::ExpenseValidate,
        Permission::ExpensePay,
        Permission::PayrollManage,
        Permission::CoachingManage,
    ];

    /// Stable code stored in the database and shown to administrators: `member.manage`…
    pub fn code(self) -> &'static str {
        match self {
            Permission::CooperativeSettings => "cooperative.settings",
            Permission::MemberRead => "member.read",
            Permission::MemberManage => "member.manage",
            Permission::RoleManage => "role.manage",
            Permission::SessionRevoke => "session.revoke",
            Permission::AuditRead => "audit.read",
            Permission::JobManage => "job.manage",
            Permission::PersonRead => "person.read",
            Permission::PersonManage => "person.manage",
            Permission::ActivityRead => "activity.read",
            Permission::ActivityManage => "activity.manage",
            Permission::SaleRead => "sale.read",
            Permission::SaleManage => "sale.manage",
            Permission::InvoiceValidate => "invoice.validate",
            Permission::PaymentRecord => "payment.record",
            Permission::BooksRead => "books.read",
            Permission::BooksManage => "books.manage",
            Permission::BooksClose => "books.close",
            Permission::ExpenseRead => "expense.read",
            Permission::ExpenseManage => "expense.manage",
            Permission::ExpenseValidate => "expense.validate",
            Permission::ExpensePay => "expense.pay",
            Permission::PayrollManage => "payroll.manage",
            Permission::CoachingManage => "coaching.manage",
        }
    }

    pub fn parse(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether this permission can be limited to the holder's own activities. Cooperative-level
    /// rights (settings, roles, audit) cannot.
    pub fn can_be_activity_scoped(self) -> bool {
        matches!(
            self,
            Permission::ActivityRead
                | Permission::SaleRead
                | Permission::SaleManage
                | Permission::PaymentRecord
                | Permission::ExpenseRead
                | Permission::ExpenseManage
        )
    }
}

/// How far a granted permission reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Everything in the cooperative.
    Cooperative,
    /// Only the activities the person belongs to (an entrepreneur's own documents).
    OwnActivities,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::Cooperative => "cooperative",
            Scope::OwnActivities => "own_activities",
        }
    }
    pub fn parse(code: &str) -> Option<Scope> {
        match code {
            "cooperative" => Some(Scope::Cooperative),
            "own_activities" => Some(Scope::OwnActivities),
            _ => None,
        }
    }
}

/// One permission granted with a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grant {
    pub permission: Permission,
    pub scope: Scope,
}

/// What is being acted on, for the permission decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The cooperative as a whole (lists, settings).
    Cooperative,
    /// One activity's data.
    Activity(ActivityId),
}

/// The rights of one person in one cooperative: the union of their roles' grants, and the
/// activities they belong to. Built per request; the only place that answers "may they?".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    grants: BTreeSet<Grant>,
    activities: BTreeSet<ActivityId>,
}

impl Access {
    pub fn new(
        grants: impl IntoIterator<Item = Grant>,
        activities: impl IntoIterator<Item = ActivityId>,
    ) -> Access {
        Access {
            grants: grants.into_iter().collect(),
            activities: activities.into_iter().collect(),
        }
    }

    /// May the person use `permission` on `target`?
    pub fn allows(&self, permission: Permission, target: Target) -> bool {
        self.grants.iter().any(|g| {
            g.permission == permission
                && match (g.scope, target) {
                    (Scope::Cooperative, _) => true,
                    (Scope::OwnActivities, Target::Activity(a)) => self.activities.contains(&a),
                    (Scope::OwnActivities, Target::Cooperative) => false,
                }
        })
    }

    /// May the person use `permission` at all (on the cooperative, or on at least one of their
    /// activities)? Decides whether a page or menu entry is offered; the target is checked after.
    pub fn has_any(&self, permission: Permission) -> bool {
        self.grants.iter().any(|g| {
            g.permission == permission
                && (g.scope == Scope::Cooperative || !self.activities.is_empty())
        })
    }

    /// Where `permission` reaches: every activity (`None`), or only these (`Some`, maybe empty).
    pub fn reach(&self, permission: Permission) -> Option<Vec<ActivityId>> {
        let cooperative = self
            .grants
            .iter()
            .any(|g| g.permission == permission && g.scope == Scope::Cooperative);
        if cooperative {
            return None;
        }
        let own = self
            .grants
            .iter()
            .any(|g| g.permission == permission && g.scope == Scope::OwnActivities);
        Some(if own {
            self.activities.iter().copied().collect()
        } else {
            Vec::new()
        })
    }

    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.iter()
    }
}

/// The kinds of role a cooperative starts with; each is editable afterwards. The kind decides the
/// home page a person lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleKind {
    Administrator,
    Validation,
    Accounting,
    Payroll,
    Coaching,
    Entrepreneur,
    Member,
    ReadOnly,
}

impl RoleKind {
    pub const ALL: [RoleKind; 8] = [
        RoleKind::Administrator,
        RoleKind::Validation,
        RoleKind::Accounting,
        RoleKind::Payroll,
        RoleKind::Coaching,
        RoleKind::Entrepreneur,
        RoleKind::Member,
        RoleKind::ReadOnly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoleKind::Administrator => "administrator",
            RoleKind::Validation => "validation",
            RoleKind::Accounting => "accounting",
            RoleKind::Payroll => "payroll",
            RoleKind::Coaching => "coaching",
            RoleKind::Entrepreneur => "entrepreneur",
            RoleKind::Member => "member",
            RoleKind::ReadOnly => "read_only",
        }
    }

    pub fn parse(code: &str) -> Option<RoleKind> {
        RoleKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Support-team roles share the support home page.
    pub fn is_support(self) -> bool {
        matches!(
            self,
            RoleKind::Validation | RoleKind::Accounting | RoleKind::Payroll | RoleKind::Coaching
        )
    }

    /// The grants a new cooperative gives this role by default.
    pub fn default_grants(self) -> Vec<Grant> {
        let coop = |permission| Grant {
            permission,
            scope: Scope::Cooperative,
        };
        match self {
            RoleKind::Administrator => Permission::ALL.into_iter().map(coop).collect(),
            RoleKind::Validation => vec![
                coop(Permission::MemberRead),
                coop(Permission::PersonRead),
                coop(Permission::ActivityRead),
                coop(Permission::SaleRead),
                coop(Permission::InvoiceValidate),
                coop(Permission::PaymentRecord),
                coop(Permission::ExpenseRead),
                coop(Permission::ExpenseValidate),
            ],
            RoleKind::Accounting => vec![
                coop(Permission::MemberRead),
                coop(Permission::PersonRead),
                coop(Permission::ActivityRead),
                coop(Permission::SaleRead),
                coop(Permission::PaymentRecord),
                coop(Permission::BooksRead),
                coop(Permission::BooksManage),
                coop(Permission::BooksClose),
                coop(Permission::ExpenseRead),
                coop(Permission::ExpensePay),
            ],
            RoleKind::Payroll => vec![
                coop(Permission::MemberRead),
                coop(Permission::PersonRead),
                coop(Permission::ActivityRead),
                coop(Permission::SaleRead),
                coop(Permission::ExpenseRead),
                coop(Permission::PayrollManage),
            ],
            RoleKind::Coaching => vec![
                coop(Permission::MemberRead),
                coop(Permission::PersonRead),
                coop(Permission::PersonManage),
                coop(Permission::ActivityRead),
                coop(Permission::ActivityManage),
                coop(Permission::CoachingManage),
            ],
            RoleKind::ReadOnly => vec![coop(Permission::MemberRead), coop(Permission::AuditRead)],
            RoleKind::Entrepreneur => [
                Permission::ActivityRead,
                Permission::SaleRead,
                Permission::SaleManage,
                Permission::ExpenseRead,
                Permission::ExpenseManage,
            ]
            .into_iter()
            .map(|permission| Grant {
                permission,
                scope: Scope::OwnActivities,
            })
            .collect(),
            RoleKind::Member => Vec::new(),
        }
    }
}

/// Which home page a person with these role kinds sees first: the most capable role wins.
pub fn home_kind(kinds: &[RoleKind]) -> Option<RoleKind> {
    let order = [
        RoleKind::Administrator,
        RoleKind::Validation,
        RoleKind::Accounting,
        RoleKind::Payroll,
        RoleKind::Coaching,
        RoleKind::Entrepreneur,
        RoleKind::Member,
        RoleKind::ReadOnly,
    ];
    order.into_iter().find(|k| kinds.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(permission: Permission, scope: Scope) -> Grant {
        Grant { permission, scope }
    }

    #[test]
    fn gdp_04_an_own_activities_grant_reaches_only_the_persons_activities() {
        let mine = ActivityId::new(1);
        let theirs = ActivityId::new(2);
        let access = Access::new(
            [grant(Permission::MemberRead, Scope::OwnActivities)],
            [mine],
        );
        assert!(access.allows(Permission::MemberRead, Target::Activity(mine)));
        assert!(!access.allows(Permission::MemberRead, Target::Activity(theirs)));
        assert!(!access.allows(Permission::MemberRead, Target::Cooperative));
        assert!(access.has_any(Permission::MemberRead));
    }

    #[test]
    fn an_own_activities_grant_without_activity_offers_nothing() {
        let access = Access::new([grant(Permission::MemberRead, Scope::OwnActivities)], []);
        assert!(!access.has_any(Permission::MemberRead));
    }

    #[test]
    fn a_cooperative_grant_reaches_every_activity() {
        let access = Access::new([grant(Permission::AuditRead, Scope::Cooperative)], []);
        assert!(access.allows(Permission::AuditRead, Target::Activity(ActivityId::new(9))));
        assert!(access.allows(Permission::AuditRead, Target::Cooperative));
        assert!(!access.allows(Permission::RoleManage, Target::Cooperative));
    }

    #[test]
    fn no_role_means_no_right() {
        let access = Access::default();
        for p in Permission::ALL {
            assert!(!access.allows(p, Target::Cooperative));
        }
    }

    #[test]
    fn codes_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.code()), Some(p));
        }
        for k in RoleKind::ALL {
            assert_eq!(RoleKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn the_administrator_holds_every_permission_by_default() {
        let access = Access::new(RoleKind::Administrator.default_grants(), []);
        for p in Permission::ALL {
            assert!(access.allows(p, Target::Cooperative), "{p:?}");
        }
        assert!(RoleKind::Member.default_grants().is_empty());
        assert!(
            RoleKind::Entrepreneur
                .default_grants()
                .iter()
                .all(|g| g.scope == Scope::OwnActivities)
        );
    }

    #[test]
    fn the_most_capable_role_chooses_the_home_page() {
        assert_eq!(
            home_kind(&[RoleKind::Entrepreneur, RoleKind::Administrator]),
            Some(RoleKind::Administrator)
        );
        assert_eq!(
            home_kind(&[RoleKind::Member, RoleKind::Coaching]),
            Some(RoleKind::Coaching)
        );
        assert_eq!(home_kind(&[]), None);
    }
}

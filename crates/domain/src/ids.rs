//! Typed identifiers: a `UserId` is never mistaken for a `CooperativeId` (STYLE 2.3).

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);
        impl $name {
            pub const fn new(raw: i64) -> Self { Self(raw) }
            pub const fn get(self) -> i64 { self.0 }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
    )*};
}

id_type!(
    /// A cooperative (one legal entity, one tenant).
    CooperativeId,
    /// A person who can sign in.
    UserId,
    /// A role of one cooperative.
    RoleId,
    /// A person followed by the cooperative (with or without an account).
    PersonId,
    /// An activity ("enseigne") of a cooperative; arrives with the people issue, scoping is designed now.
    ActivityId,
    /// A personal API access token.
    ApiTokenId,
    /// A signed-in session.
    SessionId,
    /// A durable background job.
    JobId,
    /// One line of the audit log.
    AuditEventId,
    /// A customer of an activity (or shared across the cooperative).
    CustomerId,
    /// An item of an activity's catalogue.
    CatalogItemId,
    /// A sale document: quote, invoice, deposit invoice or credit note.
    SaleDocId,
    /// A payment received on an invoice.
    PaymentId,
    /// An entry of the cooperative's books (a manual one or one posted by an event).
    EntryId,
);

//! Templates a cooperative edits (Typst source), by kind.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::CooperativeId;
use time::OffsetDateTime;

pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
) -> Result<Option<String>, StorageError> {
    const SQL: &str =
        "select source from document_template where cooperative_id = $1 and kind = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(kind)
        .fetch_optional(conn)
        .await?))
}

pub async fn save(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
    source: &str,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into document_template (cooperative_id, kind, source, updated_at) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, kind) do update set source = excluded.source, updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(kind)
        .bind(source)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn delete(tx: &mut Tx, coop: CooperativeId, kind: &str) -> Result<(), StorageError> {
    const SQL: &str = "delete from document_template where cooperative_id = $1 and kind = $2";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(kind)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

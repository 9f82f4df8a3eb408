-- The cooperative's supplier invoices are listed by issue date, the latest first (SQLite).
create index supplier_invoice_date on supplier_invoice (cooperative_id, issue_date, supplier_invoice_id);

-- What each activity collected on its invoices, excluding VAT, summed per day beside the books'
-- class 6 and 7 lines (part `collected`; postgres): the support team's overview of every activity
-- account on a collected basis reads these sums instead of every payment. Written from now on
-- when a payment's entry is posted (`books::add_collected`); the payments already posted are
-- summed here once, as the overview read them until now (posted: a validated entry exists).
insert into analytic_day (cooperative_id, analytic, entry_date, part, cents)
select p.cooperative_id, a.analytic_code, p.paid_on, 'collected',
    cast(coalesce(sum(v.ttc_cents - v.vat_cents), 0) as bigint)
from payment p
join sale_doc d on d.sale_doc_id = p.sale_doc_id
join activity a on a.activity_id = d.activity_id
left join payment_vat v on v.payment_id = p.payment_id
where exists (select 1 from entry e where e.cooperative_id = p.cooperative_id and e.source_kind = 'payment'
    and e.source_id = p.payment_id and e.state = 'validated')
group by p.cooperative_id, a.analytic_code, p.paid_on;

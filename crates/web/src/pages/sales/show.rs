//! Sale documents: the document page.

use super::*;

pub struct ShowLine {
    pub section: Option<String>,
    pub label: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub vat: String,
    pub net: String,
}

#[derive(Template)]
#[template(path = "sales/show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub v: SaleView,
    pub title: String,
    pub status: String,
    pub customer_href: String,
    pub activity_href: String,
    pub lines: Vec<ShowLine>,
    pub sections: Vec<(String, String)>,
    pub vat: Vec<(String, String, String)>,
    pub allowance: Option<String>,
    pub total_ht: String,
    pub total_vat: String,
    pub total_ttc: String,
    pub paid: String,
    pub outstanding: String,
    pub dates: Vec<(String, String)>,
    pub payments: Vec<(String, String, String, String, String)>,
    pub events: Vec<(String, String, String)>,
    pub children: Vec<DocRow>,
    pub origin_href: Option<(String, String)>,
    pub base: String,
    pub pdf_href: String,
    pub xml_href: Option<String>,
    pub accept_link: Option<String>,
    pub modes: Vec<Choice>,
    pub today: String,
    pub errors: Errors,
    pub message: Option<String>,
    pub can_deposit: bool,
    pub can_final: bool,
    pub can_credit: bool,
    pub can_email: bool,
    pub can_remind: bool,
    pub customer_email: String,
    /// The entries of the books made from this document (for those who read the books).
    pub book_entries: Vec<(String, String, String, String)>,
    /// Its deposits on the e-invoicing platform, the latest last.
    pub einvoice: Vec<EinvoiceBox>,
    pub can_resend: bool,
}

/// One deposit of the document on the e-invoicing platform, as its page says it.
pub struct EinvoiceBox {
    pub state: String,
    pub tracking: String,
    pub flow_id: String,
    pub error: String,
    /// When, status (code and name), who, reason or amount.
    pub statuses: Vec<(String, String, String, String)>,
    /// Where it stands (the latest status), and what to do after a refusal or rejection.
    pub standing: String,
    pub dead_end: Option<String>,
}

fn einvoice_boxes(
    t: crate::i18n::Tr,
    flows: &[essaim_app::einvoicing::sending::DocFlow],
) -> Vec<EinvoiceBox> {
    use essaim_domain::einvoicing::lifecycle::Status;
    flows
        .iter()
        .map(|f| EinvoiceBox {
            state: t
                .get(&format!("einvoice_state.{}", f.state.code()))
                .to_owned(),
            tracking: f.flow.tracking_id.clone(),
            flow_id: f.flow.flow_id.clone().unwrap_or_default(),
            error: f.flow.last_error.clone(),
            statuses: f
                .statuses
                .iter()
                .map(|s| {
                    let detail = match (s.amount_cents, s.collected_on) {
                        (Some(a), Some(on)) => format!("{} — {}", money(a), fr_date(on)),
                        _ => s.reason.clone().unwrap_or_default(),
                    };
                    (
                        datetime(s.at),
                        format!(
                            "{} {}",
                            s.status,
                            t.get(&format!("einvoice_status.{}", s.status))
                        ),
                        t.get(&format!("einvoice_emitter.{}", s.emitter)).to_owned(),
                        detail,
                    )
                })
                .collect(),
            standing: f
                .standing
                .last
                .map(|s| {
                    format!(
                        "{} {}",
                        s.code(),
                        t.get(&format!("einvoice_status.{}", s.code()))
                    )
                })
                .unwrap_or_default(),
            dead_end: f.standing.dead_end.as_ref().map(|e| {
                t.get(if e.status == Status::Refused {
                    "einvoice.refused_hint"
                } else {
                    "einvoice.rejected_hint"
                })
                .to_owned()
            }),
        })
        .collect()
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub link: String,
    pub done: String,
}

pub(crate) async fn show_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: SaleDocId,
    errors: Errors,
    message: Option<String>,
    link: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let v = docs::view(app, coop, id).await?;
    let slug = &coop.slug;
    let lines = v
        .computed
        .lines
        .iter()
        .map(|l| ShowLine {
            section: l.section.clone(),
            label: l.item.label.clone(),
            description: l.item.description.clone().unwrap_or_default(),
            quantity: l.item.quantity.normalize().to_string().replace('.', ","),
            unit: unit::parse_unit(&l.item.unit)
                .map(|u| u.singular.to_owned())
                .unwrap_or_default(),
            unit_price: format!("{} €", price_text(l.unit_price_ht)),
            discount: if l.allowance_cents == 0 {
                String::new()
            } else {
                money(-l.allowance_cents)
            },
            vat: l.vat.label.to_owned(),
            net: money(l.net_cents),
        })
        .collect();
    let mut dates = vec![(t.get("sales.date").to_owned(), fr_date(v.doc.doc_date))];
    if let Some(d) = v.doc.valid_until {
        dates.push((t.get("sales.valid_until").into(), fr_date(d)));
    }
    if let Some(d) = v.doc.due_date {
        dates.push((t.get("sales.due_date").into(), fr_date(d)));
    }
    if let Some(d) = v.doc.delivery_date {
        dates.push((t.get("sales.delivery_date").into(), fr_date(d)));
    }
    if let Some(by) = &v.doc.accepted_by {
        dates.push((
            t.get("sales.accepted_by").into(),
            format!(
                "{by} — {}",
                v.doc.accepted_at.map(datetime).unwrap_or_default()
            ),
        ));
    }
    let origin_href = match v.doc.origin_id.or(v.doc.quote_id) {
        Some(o) => Some((
            paths::sale(slug, o),
            t.get(if v.doc.origin_id.is_some() {
                "sales.origin_invoice"
            } else {
                "sales.origin_quote"
            })
            .to_owned(),
        )),
        None => None,
    };
    let is_accepted_quote = v.kind == DocKind::Quote && v.doc.state == "accepted";
    let book_entries = crate::pages::books::of_sale_doc(app, coop, id).await;
    let has_final = v.children.iter().any(|c| c.kind == "invoice");
    let flows = essaim_app::einvoicing::sending::of_doc(app, coop, id).await?;
    let can_resend = coop.access.allows(
        Permission::InvoiceValidate,
        Target::Activity(ActivityId::new(v.doc.activity_id)),
    ) && flows.last().is_some_and(|f| {
        f.state == essaim_domain::einvoicing::outgoing::FlowState::Failed
            || (f.state == essaim_domain::einvoicing::outgoing::FlowState::Deposited
                && f.standing.dead_end.as_ref().is_some_and(|e| {
                    e.status == essaim_domain::einvoicing::lifecycle::Status::Rejected
                }))
    });
    Ok(render(&ShowPage {
        title: format!(
            "{} {}",
            kind_label(t, &v.doc.kind),
            v.doc
                .number
                .clone()
                .unwrap_or_else(|| t.get("sales.draft_no_number").to_owned())
        ),
        status: status_label(t, v.status),
        customer_href: paths::customer(slug, v.doc.customer_id),
        activity_href: paths::activity(slug, v.doc.activity_id),
        lines,
        sections: v
            .computed
            .sections
            .iter()
            .map(|s| (s.title.clone(), money(s.net_cents)))
            .collect(),
        vat: v
            .computed
            .vat
            .iter()
            .map(|x| {
                (
                    x.vat.label.to_owned(),
                    money(x.basis_cents),
                    money(x.vat_cents),
                )
            })
            .collect(),
        allowance: (v.computed.totals.allowance_total_cents != 0)
            .then(|| money(-v.computed.totals.allowance_total_cents)),
        total_ht: money(v.computed.totals.tax_basis_cents),
        total_vat: money(v.computed.totals.tax_total_cents),
        total_ttc: money(v.computed.totals.grand_total_cents),
        paid: money(v.doc.paid_cents),
        outstanding: money(v.outstanding_cents),
        dates,
        payments: v
            .payments
            .iter()
            .map(|p| {
                (
                    fr_date(p.paid_on),
                    money(p.amount_cents),
                    t.get(&format!("payment_mode.{}", p.mode)).to_owned(),
                    p.reference.clone().unwrap_or_default(),
                    p.recorded_by_name.clone(),
                )
            })
            .collect(),
        events: v
            .events
            .iter()
            .map(|e| {
                (
                    datetime(e.at),
                    t.get(&format!("sale_event.{}", e.kind)).to_owned(),
                    [
                        e.user_name.clone(),
                        // A creation's detail says how the document was made: a code to translate.
                        if e.kind == "created" {
                            e.detail
                                .as_ref()
                                .map(|d| t.get(&format!("sale_origin.{d}")).to_owned())
                        } else {
                            e.detail.clone()
                        },
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — "),
                )
            })
            .collect(),
        children: v
            .children
            .iter()
            .map(|d| doc_row(t, slug, d, today))
            .collect(),
        origin_href,
        base: paths::sale(slug, id),
        pdf_href: paths::sale_file(slug, id, "pdf"),
        xml_href: (v.kind.is_invoice_like() && v.doc.state == "issued")
            .then(|| paths::sale_file(slug, id, "xml")),
        accept_link: link,
        modes: PaymentMode::ALL
            .iter()
            .map(|m| {
                Choice::new(
                    m.code(),
                    t.get(&format!("payment_mode.{}", m.code())),
                    *m == PaymentMode::Transfer,
                )
            })
            .collect(),
        today: today.to_string(),
        errors,
        message,
        can_deposit: is_accepted_quote && v.may_manage && !has_final,
        can_final: is_accepted_quote && v.may_manage && !has_final,
        can_email: v.may_manage
            && match v.kind {
                DocKind::Quote => matches!(v.status, DisplayStatus::Draft | DisplayStatus::Sent),
                _ => v.doc.state == "issued",
            },
        can_remind: v.overdue && (v.may_manage || v.may_record_payment),
        customer_email: v.customer.email.clone().unwrap_or_default(),
        book_entries,
        einvoice: einvoice_boxes(t, &flows),
        can_resend,
        can_credit: matches!(v.kind, DocKind::Invoice | DocKind::Deposit)
            && v.doc.state == "issued"
            && v.doc.credited_cents < v.doc.grand_total_cents
            && v.may_manage,
        v,
        l: page.layout.clone(),
    }))
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<SaleDocId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let t = page.layout.t;
    let message = (!q.done.is_empty()).then(|| t.get(&format!("sales.done.{}", q.done)).to_owned());
    let link = (!q.link.is_empty())
        .then(|| format!("{}{}", app.config.base_url, paths::public_quote(&q.link)));
    show_page(&app, &page, &coop, id, Errors::default(), message, link).await
}

//! Personal data (GDP-01, GDP-02): each person downloads everything Essaim holds about them, and
//! an administrator anonymises a person who left once the legal retention period is over.

use crate::{Actor, App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::ids::PersonId;
use essaim_domain::path::{Path, PathEvent};
use essaim_storage::{account, activity, person, role, session};
use serde_json::{Value, json};

fn event_json(e: &PathEvent) -> Value {
    let mut v = json!({ "kind": e.kind(), "on": e.date().to_string() });
    match e {
        PathEvent::NotAdmitted { reason, .. } | PathEvent::SuspensionStarted { reason, .. } => {
            v["reason"] = json!(reason)
        }
        PathEvent::CapeSigned { period } | PathEvent::CapeRenewed { period } => {
            v["end"] = json!(period.end.to_string())
        }
        PathEvent::CesaSigned { trial_end, .. } => {
            v["trial_end"] = json!(trial_end.map(|d| d.to_string()))
        }
        PathEvent::CesaAmended { summary, .. } => v["summary"] = json!(summary),
        PathEvent::Exited {
            exit_type,
            reason,
            destination,
            ..
        } => {
            v["exit_type"] = json!(exit_type);
            v["reason"] = json!(reason);
            v["destination"] = json!(destination);
        }
        _ => {}
    }
    v
}

/// GDP-02: everything about the signed-in person, machine-readable.
pub async fn export_mine(app: &App, actor: &Actor) -> Result<Value, AppError> {
    let now = app.clock.now();
    let u = &actor.user;
    let mut tx = app.store.read().await?;
    let coops = role::cooperatives_of(&mut tx, u.id).await?;
    let files = person::files_of_user(&mut tx, u.id).await?;
    let mut files_json = Vec::new();
    for (coop, f) in &files {
        let events = person::events(&mut tx, f.id).await?;
        let d = &f.details;
        files_json.push(json!({
            "cooperative_id": coop.get(),
            "first_name": d.first_name, "last_name": d.last_name,
            "email": d.email.as_ref().map(|e| e.as_str()), "phone": d.phone, "address": d.address, "postcode": d.postcode, "commune": d.commune,
            "birth_date": d.birth_date.map(|b| b.to_string()), "gender": d.gender.code(),
            "situation": d.situation, "prescriber": d.prescriber, "education": d.education, "antenna": d.antenna,
            "qpv": d.qpv, "rural": d.rural, "naf": d.naf,
            "referent": f.referent.as_ref().map(|(_, n)| n),
            "status": f.summary.status.code(),
            "associate_deadline": f.summary.associate_deadline.map(|d| d.to_string()),
            "path": events.iter().map(|e| event_json(&e.event)).collect::<Vec<_>>(),
        }));
    }
    let mut activities_json = Vec::new();
    for c in &coops {
        for a in activity::list(&mut tx, c.cooperative_id, Some(u.id), None).await? {
            let share = a
                .members
                .iter()
                .find(|(m, ..)| *m == u.id)
                .map(|(_, _, s)| *s);
            activities_json.push(json!({ "cooperative_id": c.cooperative_id.get(), "name": a.details.name, "analytic_code": a.details.analytic_code, "share_basis_points": share }));
        }
    }
    let sessions = session::list_active_of(&mut tx, u.id, now).await?;
    let tokens = account::list_tokens(&mut tx, u.id).await?;
    let actions = essaim_storage::audit::list_by_actor(&mut tx, u.id, 10_000).await?;
    tx.commit().await?;
    Ok(json!({
        "exported_at": now.to_string(),
        "account": { "id": u.id.get(), "email": u.email.as_str(), "display_name": u.display_name, "locale": u.locale.code(), "host_administrator": u.is_host_admin },
        "cooperatives": coops.iter().map(|c| json!({ "id": c.cooperative_id.get(), "name": c.legal_name, "roles": c.kinds.iter().map(|k| k.code()).collect::<Vec<_>>() })).collect::<Vec<_>>(),
        "files": files_json,
        "activities": activities_json,
        "open_sessions": sessions.iter().map(|s| json!({ "started": s.created_at.to_string(), "last_seen": s.last_seen_at.to_string(), "ip": s.ip, "browser": s.user_agent })).collect::<Vec<_>>(),
        "api_tokens": tokens.iter().map(|t| json!({ "name": t.name, "starts_with": t.prefix, "created": t.created_at.to_string(), "revoked": t.revoked_at.map(|d| d.to_string()) })).collect::<Vec<_>>(),
        "actions": actions.iter().map(|a| json!({ "at": a.at.to_string(), "action": a.action, "object": format!("{} {}", a.object_type, a.object_id), "ip": a.ip })).collect::<Vec<_>>(),
    }))
}

/// GDP-01/02: erases the identity of a person who left, once the retention period is over;
/// the administrator must confirm. The audit log keeps that it was done, not who it was.
pub async fn anonymize(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    confirmed: bool,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    if !confirmed {
        return Err(AppError::field("confirm", "confirm_required"));
    }
    let today = app.clock.today();
    let mut tx = app.store.begin().await?;
    let record = person::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    if record.anonymized {
        return Err(AppError::NotFound("person"));
    }
    let path = Path::new(
        person::events(&mut tx, id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect(),
    );
    match path
        .erasable_from()
        .map_err(|m| AppError::Internal(m.to_string()))?
    {
        Some(from) if from <= today => {}
        _ => return Err(AppError::field("confirm", "retention_running")),
    }
    person::anonymize(&mut tx, actor.cooperative, id, app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "person.anonymized",
        ("person", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// GDP-02: the same export as a readable PDF.
pub async fn export_pdf(app: &App, actor: &Actor) -> Result<Vec<u8>, AppError> {
    let data = export_mine(app, actor).await?;
    let lines = |v: &Value, f: &dyn Fn(&Value) -> String| {
        v.as_array()
            .map(|a| a.iter().map(f).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let mut sections = vec![
        json!({ "title": "Compte", "lines": [format!("Nom : {}", s(&data["account"]["display_name"])), format!("Adresse e-mail : {}", s(&data["account"]["email"])), format!("Langue : {}", s(&data["account"]["locale"]))] }),
        json!({ "title": "Coopératives et rôles", "lines": lines(&data["cooperatives"], &|c| format!("{} : {}", s(&c["name"]), lines(&c["roles"], &|r| s(r)).join(", "))) }),
    ];
    for f in data["files"].as_array().cloned().unwrap_or_default() {
        let mut l: Vec<String> = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postcode",
            "commune",
            "birth_date",
            "gender",
            "situation",
            "prescriber",
            "education",
            "antenna",
            "naf",
            "status",
            "associate_deadline",
        ]
        .iter()
        .filter(|k| !f[**k].is_null() && f[**k] != "")
        .map(|k| {
            format!(
                "{k} : {}",
                f[*k]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| f[*k].to_string())
            )
        })
        .collect();
        l.extend(lines(&f["path"], &|e| {
            format!("parcours — {} : {}", s(&e["on"]), s(&e["kind"]))
        }));
        sections.push(json!({ "title": "Dossier", "lines": l }));
    }
    sections.push(json!({ "title": "Activités", "lines": lines(&data["activities"], &|a| format!("{} ({})", s(&a["name"]), s(&a["analytic_code"]))) }));
    sections.push(json!({ "title": "Connexions ouvertes", "lines": lines(&data["open_sessions"], &|x| format!("{} — {} — {}", s(&x["started"]), s(&x["ip"]), s(&x["browser"]))) }));
    sections.push(json!({ "title": "Jetons d'accès", "lines": lines(&data["api_tokens"], &|x| format!("{} ({}…) créé le {}", s(&x["name"]), s(&x["starts_with"]), s(&x["created"]))) }));
    let actions: Vec<String> = lines(&data["actions"], &|x| {
        format!(
            "{} — {} — {}",
            s(&x["at"]),
            s(&x["action"]),
            s(&x["object"])
        )
    })
    .into_iter()
    .take(500)
    .collect();
    sections.push(json!({ "title": "Vos actions (les 500 dernières)", "lines": actions }));
    let today = app.clock.today();
    let doc = json!({
        "name": s(&data["account"]["display_name"]),
        "email": s(&data["account"]["email"]),
        "exported_on": format!("{:02}/{:02}/{}", today.day(), u8::from(today.month()), today.year()),
        "sections": sections,
    });
    crate::templates::render(
        essaim_documents::pdf::PERSONAL_DATA_TEMPLATE.to_owned(),
        doc,
    )
    .await
    .map_err(AppError::Internal)
}

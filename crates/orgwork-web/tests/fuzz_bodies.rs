//! Fuzzing every POST and PUT body of the API, as the OpenAPI document lists them, sent as an
//! administrator: the seeds of `fuzz/corpus/json` mutated byte by byte, and random JSON made of
//! the API's own field names. No body may answer 500; each is taken or refused with a 4xx.

mod common;
#[path = "../../../fuzz/mutate.rs"]
mod mutate;

use common::{send, spawn_app};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Field names the API reads, so that random bodies reach past the first unknown field.
const FIELDS: &[&str] = &[
    "full_name",
    "sex",
    "birth_date",
    "admitted_on",
    "official_on",
    "unit",
    "code",
    "kind",
    "parent",
    "valid_from",
    "name",
    "names",
    "vi",
    "en",
    "ar",
    "effective",
    "status",
    "member",
    "to_unit",
    "to_org",
    "issued_on",
    "document",
    "decision",
    "operations",
    "op",
    "units",
    "into",
    "parts",
    "title",
    "card_number",
    "national_id",
    "joined_on",
    "proposed_on",
    "note",
    "hometown",
    "occupation",
    "education",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::from),
        "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}".prop_map(Value::from),
        prop::sample::select(vec!["QN", "KCQ", "STC", "official", "female", "merge", "rename", "9999-12-31"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

async fn no_body_answers_500(backend: &str) {
    let app = spawn_app(backend).await;
    for (code, kind, parent) in [("KCQ", "bloc_committee", "QN"), ("STC", "grassroots_committee", "KCQ")] {
        let body =
            json!({"code": code, "kind": kind, "parent": parent, "valid_from": "2020-01-01", "name": {"vi": code}});
        assert_eq!(send(&app, &app.token, Method::POST, "/api/v1/units", Some(body)).await.0, StatusCode::CREATED);
    }
    let m = json!({"full_name": "Lê Văn Thử", "sex": "male", "birth_date": "1990-01-01", "admitted_on": "2021-06-01", "unit": "STC"});
    let (_, m) = send(&app, &app.token, Method::POST, "/api/v1/members", Some(m)).await;
    let member = m["id"].as_str().unwrap().to_string();
    let (_, doc) = send(&app, "", Method::GET, "/api/v1/openapi.json", None).await;
    let mut operations = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if method == "post" || method == "put" {
                let concrete = path.replace("{code}", "STC").replace("{id}", &member);
                operations.push((Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), concrete));
            }
        }
    }
    assert!(operations.len() >= 10, "{operations:?}");
    let seeds = mutate::seeds("json");
    let per_endpoint = (mutate::cases() / 5).max(4);
    let mut runner = TestRunner::default();
    let bodies = json_value();
    let edits = mutate::edits();
    for (method, path) in &operations {
        for k in 0..per_endpoint {
            let bytes = if k % 2 == 0 {
                let (_, seed) = &seeds[k as usize / 2 % seeds.len()];
                mutate::apply(seed, &edits.new_tree(&mut runner).unwrap().current())
            } else {
                bodies.new_tree(&mut runner).unwrap().current().to_string().into_bytes()
            };
            let r = app
                .http
                .request(method.clone(), format!("{}{path}", app.base))
                .bearer_auth(&app.token)
                .header("content-type", "application/json")
                .body(bytes.clone())
                .send()
                .await
                .expect("request");
            let status = r.status();
            let text = r.text().await.unwrap_or_default();
            assert!(
                status.is_client_error() || status.is_success(),
                "{method} {path} with {} answered {status}: {text}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}

orgwork_store_tests::backends!(
    call crate;
    setup |backend| backend;
    no_body_answers_500,
);

//! Every RPC, every error, health, reflection and graceful shutdown against a real server.

use std::time::Duration;

use khabar::pb;
use khabar::server::Config;
use tokio_stream::StreamExt as _;
use tonic::Code;

use crate::support::{self, cut, req, TestServer};

fn assert_invalid(result: Result<impl std::fmt::Debug, tonic::Status>, needles: &[&str]) {
    let status = result.expect_err("expected INVALID_ARGUMENT");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    for n in needles {
        assert!(
            status.message().contains(n),
            "message {:?} should contain {n:?}",
            status.message()
        );
    }
}

/// Every mention and evidence span points at exactly its text, in the response's unit.
fn assert_spans(resp: &pb::ClassifyResponse, text: &str, title: &str) {
    let unit = pb::OffsetUnit::try_from(resp.offset_unit).unwrap();
    assert_ne!(
        unit,
        pb::OffsetUnit::Unspecified,
        "a response never says UNSPECIFIED"
    );
    let field_text = |f: i32| match pb::Field::try_from(f) {
        Ok(pb::Field::Title) => title,
        Ok(pb::Field::Text) => text,
        other => panic!("a span's field is TEXT or TITLE, got {other:?}"),
    };
    for e in &resp.entities {
        assert!(!e.mentions.is_empty(), "{} has no mentions", e.id);
        assert!(
            (0.0..=1.0).contains(&e.salience),
            "{} salience {}",
            e.id,
            e.salience
        );
        assert_ne!(e.r#type, pb::EntityType::Unspecified as i32);
        for m in &e.mentions {
            assert!(m.start < m.end, "{}: empty span {m:?}", e.id);
            assert_eq!(
                cut(field_text(m.field), m.start, m.end, unit).as_deref(),
                Some(m.text.as_str()),
                "{}: {m:?}",
                e.id
            );
            assert!((0.0..=1.0).contains(&m.confidence));
        }
    }
    for t in &resp.topics {
        assert!((0.0..=1.0).contains(&t.score), "{} score {}", t.id, t.score);
        for ev in &t.evidence {
            assert_eq!(
                cut(field_text(ev.field), ev.start, ev.end, unit).as_deref(),
                Some(ev.text.as_str()),
                "{ev:?}"
            );
        }
    }
    for w in resp.topics.windows(2) {
        assert!(w[0].score >= w[1].score, "topics are sorted by score");
    }
}

#[tokio::test]
async fn classify_every_article_returns_entities() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let version = support::rules_info(&mut client).await.version;
    for (name, text) in support::articles() {
        let resp = client
            .classify(req(&name, &text))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(resp.id, name);
        assert_eq!(resp.language, "ar");
        assert_eq!(resp.offset_unit, pb::OffsetUnit::CodePoint as i32);
        assert_eq!(resp.rules_version, version);
        assert!(resp.error.is_none());
        assert!(!resp.entities.is_empty(), "{name}: no entities");
        assert_spans(&resp, &text, "");
    }
    server.stop().await;
}

#[tokio::test]
async fn offsets_in_every_unit_point_at_the_mention() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let (name, text) = support::articles().remove(0);
    // An astral character first makes the three units differ by more than Arabic alone.
    let text = format!("😀 {text}");
    let title = "بوتين يلتقي كيم جونغ أون في موسكو";
    for unit in [
        pb::OffsetUnit::CodePoint,
        pb::OffsetUnit::Utf8Byte,
        pb::OffsetUnit::Utf16CodeUnit,
    ] {
        let mut r = req(&name, &text);
        r.title = title.to_owned();
        r.offset_unit = unit as i32;
        let resp = client.classify(r).await.unwrap().into_inner();
        assert_eq!(resp.offset_unit, unit as i32);
        assert!(!resp.entities.is_empty(), "{unit:?}: no entities");
        assert_spans(&resp, &text, title);
    }
    // UNSPECIFIED means code points.
    let resp = client.classify(req("u", &text)).await.unwrap().into_inner();
    assert_eq!(resp.offset_unit, pb::OffsetUnit::CodePoint as i32);
    server.stop().await;
}

/// (id, score) of every topic, in order.
fn topic_scores(resp: &pb::ClassifyResponse) -> Vec<(String, f64)> {
    resp.topics
        .iter()
        .map(|t| (t.id.clone(), t.score))
        .collect()
}

#[tokio::test]
async fn options_filter_and_limit() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let (_, text) = support::articles().remove(0);
    let all = client
        .classify(req("all", &text))
        .await
        .unwrap()
        .into_inner();
    assert!(all.topics.len() >= 2, "the article has several topics");
    assert!(
        all.topics.iter().all(|t| t.evidence.is_empty()),
        "no evidence unless asked for"
    );

    let mut r = req("opts", &text);
    r.options = Some(pb::ClassifyOptions {
        min_topic_score: 0.0,
        max_topics: 1,
        entity_types: vec![pb::EntityType::Location as i32],
        include_evidence: true,
    });
    let resp = client.classify(r).await.unwrap().into_inner();
    assert_eq!(resp.topics.len(), 1, "max_topics: 1");
    assert_eq!(
        resp.topics[0].id, all.topics[0].id,
        "the best topic is kept"
    );
    assert!(
        resp.topics.iter().all(|t| !t.evidence.is_empty()),
        "evidence when asked for: {:?}",
        resp.topics
    );
    assert!(!resp.entities.is_empty(), "the article names places");
    assert!(resp
        .entities
        .iter()
        .all(|e| e.r#type == pb::EntityType::Location as i32));
    assert_spans(&resp, &text, "");
    server.stop().await;
}

#[tokio::test]
async fn min_topic_score_leaves_out_exactly_the_topics_below_it() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let (_, text) = support::articles().remove(0);
    let all = client
        .classify(req("all", &text))
        .await
        .unwrap()
        .into_inner();
    let all = topic_scores(&all);
    // A threshold equal to a score in the middle: the topics at it stay, those below go.
    let mut scores: Vec<f64> = all.iter().map(|t| t.1).collect();
    scores.dedup();
    assert!(
        scores.len() >= 3,
        "the article needs topics of three scores or more: {all:?}"
    );
    let middle = scores[scores.len() / 2];
    for min in [middle, 1.0] {
        let mut r = req("min", &text);
        r.options = Some(pb::ClassifyOptions {
            min_topic_score: min,
            ..Default::default()
        });
        let got = topic_scores(&client.classify(r).await.unwrap().into_inner());
        let want: Vec<_> = all.iter().filter(|t| t.1 >= min).cloned().collect();
        assert_eq!(got, want, "min_topic_score {min}");
        if min == middle {
            assert!(
                !got.is_empty() && got.len() < all.len(),
                "{min} keeps some topics and leaves out others: {got:?} of {all:?}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn published_at_gives_relative_dates_their_day() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    // 2023-07-27T00:00:00Z: the 27th in Riyadh (03:00), still the 26th in Los Angeles (17:00).
    let published = pbjson_types::Timestamp {
        seconds: 1_690_416_000,
        nanos: 0,
    };
    let mut got = Vec::new();
    for (text, time_zone, published_at) in [
        (
            "The minister said yesterday that talks would resume.",
            "Asia/Riyadh",
            Some(published),
        ),
        (
            "The minister said yesterday that talks would resume.",
            "America/Los_Angeles",
            Some(published),
        ),
        ("قال الوزير أمس إن المحادثات ستستأنف.", "", Some(published)),
        // Without a publication time a relative date has no value.
        (
            "The minister said yesterday that talks would resume.",
            "Asia/Riyadh",
            None,
        ),
    ] {
        let mut r = req("dated", text);
        r.time_zone = time_zone.into();
        r.published_at = published_at;
        let resp = client.classify(r).await.unwrap().into_inner();
        let dates: Vec<(String, String)> = resp
            .entities
            .iter()
            .filter(|e| e.r#type == pb::EntityType::Date as i32)
            .flat_map(|e| e.mentions.iter().map(|m| (m.text.clone(), m.value.clone())))
            .collect();
        got.push(dates);
    }
    let one = |text: &str, value: &str| vec![(text.to_owned(), value.to_owned())];
    assert_eq!(
        got,
        [
            one("yesterday", "2023-07-26"),
            one("yesterday", "2023-07-25"),
            one("أمس", "2023-07-26"),
            one("yesterday", ""),
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn time_zone_sets_the_day_of_relative_dates() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    // 22:30 UTC on 10 March 2024 is already 11 March in Riyadh: "أمس" is the 9th in UTC and
    // the 10th there.
    let value_of_yesterday = |resp: pb::ClassifyResponse| {
        resp.entities
            .iter()
            .find(|e| e.mentions.iter().any(|m| m.text == "أمس"))
            .map(|e| e.mentions[0].value.clone())
    };
    let mut values = Vec::new();
    for tz in ["", "UTC", "Asia/Riyadh", "+03:00", "America/New_York"] {
        let mut r = req("tz", "قال الرئيس أمس إن المحادثات ستستمر.");
        r.published_at = Some(pbjson_types::Timestamp {
            seconds: 1_710_109_800,
            nanos: 0,
        });
        r.time_zone = tz.into();
        let resp = client.classify(r).await.unwrap().into_inner();
        values.push(value_of_yesterday(resp));
    }
    let day = |d: &str| Some(d.to_owned());
    assert_eq!(
        values,
        [
            day("2024-03-09"),
            day("2024-03-09"),
            day("2024-03-10"),
            day("2024-03-10"),
            day("2024-03-09"),
        ]
    );
    for bad in ["Mars/Olympus", "+3", "+25:00"] {
        let mut r = req("tz", "قال الرئيس أمس");
        r.time_zone = bad.into();
        assert_invalid(client.classify(r).await, &["time_zone", bad]);
    }
    server.stop().await;
}

#[tokio::test]
async fn get_rules_describes_the_rules() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let info = support::rules_info(&mut client).await;
    assert_eq!(info.version.len(), 16, "{info:?}");
    assert!(info.version.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(info.version, server.engine.current().info().version);
    assert!(info.loaded_at.is_some());
    assert!(info.last_reload_error.is_empty());
    assert_eq!(info.source, "embedded");
    assert_eq!(info.entity_types.len(), 5);
    assert!(!info
        .entity_types
        .contains(&(pb::EntityType::Unspecified as i32)));
    assert!(!info.topics.is_empty(), "the taxonomy is reported");
    assert!(info
        .topics
        .iter()
        .all(|t| t.id.starts_with("medtop:") && !t.label.is_empty()));
    assert!(
        info.topics.iter().any(|t| t.parent_id.is_empty()),
        "top-level topics exist"
    );
    assert!(
        info.entity_counts.iter().any(|c| c.count > 0),
        "gazetteers are counted"
    );
    server.stop().await;
}

#[tokio::test]
async fn batch_with_a_bad_document_in_the_middle() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let articles = support::articles();
    let requests = vec![
        req("a", &articles[0].1),
        req("bad", "  \n\t "),
        req("c", &articles[1].1),
    ];
    let resp = client
        .classify_batch(pb::ClassifyBatchRequest { requests })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.results.len(), 3);
    for (i, r) in resp.results.iter().enumerate() {
        assert_eq!(r.index as usize, i);
    }
    use pb::batch_result::Result as R;
    match &resp.results[0].result {
        Some(R::Response(c)) => {
            assert_eq!(c.id, "a");
            assert!(!c.entities.is_empty());
        }
        other => panic!("result 0: {other:?}"),
    }
    match &resp.results[1].result {
        Some(R::Error(e)) => {
            assert_eq!(e.code, Code::InvalidArgument as i32);
            assert_eq!(e.message, "text is empty");
        }
        other => panic!("result 1: {other:?}"),
    }
    match &resp.results[2].result {
        Some(R::Response(c)) => assert_eq!(c.id, "c"),
        other => panic!("result 2: {other:?}"),
    }
    // An empty batch is fine.
    let resp = client
        .classify_batch(pb::ClassifyBatchRequest { requests: vec![] })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.results.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn stream_of_100_comes_back_in_order() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let articles = support::articles();
    let requests: Vec<_> = (0..100)
        .map(|i| {
            if i == 37 {
                req(&format!("doc-{i}"), "")
            } else if i == 71 {
                let mut r = req(&format!("doc-{i}"), "text");
                r.offset_unit = 42;
                r
            } else {
                req(&format!("doc-{i}"), &articles[i % articles.len()].1)
            }
        })
        .collect();
    let mut stream = client
        .classify_stream(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut n = 0;
    while let Some(resp) = stream.next().await {
        let resp = resp.expect("the stream goes on after bad documents");
        assert_eq!(resp.id, format!("doc-{n}"));
        match n {
            37 => {
                let e = resp.error.expect("error for the empty document");
                assert_eq!(e.code, Code::InvalidArgument as i32);
                assert_eq!(e.message, "text is empty");
            }
            71 => {
                let e = resp.error.expect("error for the unknown unit");
                assert_eq!(e.code, Code::InvalidArgument as i32);
                assert!(e.message.contains("offset_unit"), "{}", e.message);
            }
            _ => {
                assert!(resp.error.is_none(), "doc-{n}: {:?}", resp.error);
                assert!(!resp.rules_version.is_empty());
            }
        }
        n += 1;
    }
    assert_eq!(n, 100);
    server.stop().await;
}

#[tokio::test]
async fn client_mistakes_are_invalid_argument() {
    let config = Config {
        max_text_bytes: 1000,
        max_batch: 4,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;
    let ok = "روسيا وكوريا الشمالية";

    assert_invalid(client.classify(req("e", "")).await, &["text is empty"]);
    assert_invalid(
        client.classify(req("w", " \n\t\u{a0} ")).await,
        &["text is empty"],
    );
    // Over the limit, but well within what the transport decodes: the message names both.
    assert_invalid(
        client.classify(req("big", &"ا".repeat(600))).await,
        &["1200", "1000"],
    );
    assert_invalid(
        client.classify(req("big", &"x".repeat(1001))).await,
        &["1001", "1000"],
    );
    let mut r = req("t", ok);
    r.title = "y".repeat(1001);
    assert_invalid(client.classify(r).await, &["title", "1001", "1000"]);

    let mut r = req("u", ok);
    r.offset_unit = 7;
    assert_invalid(client.classify(r).await, &["offset_unit"]);
    for bad in [vec![99], vec![0], vec![pb::EntityType::Person as i32, -1]] {
        let mut r = req("t", ok);
        r.options = Some(pb::ClassifyOptions {
            entity_types: bad,
            ..Default::default()
        });
        assert_invalid(client.classify(r).await, &["entity_types"]);
    }
    for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
        let mut r = req("s", ok);
        r.options = Some(pb::ClassifyOptions {
            min_topic_score: bad,
            ..Default::default()
        });
        assert_invalid(client.classify(r).await, &["min_topic_score"]);
    }
    for bad in ["arabic!", "a", "ar_EG", "ar-", "123"] {
        let mut r = req("l", ok);
        r.language = bad.into();
        assert_invalid(client.classify(r).await, &["language"]);
    }
    for bad in [
        pbjson_types::Timestamp {
            seconds: 0,
            nanos: -1,
        },
        pbjson_types::Timestamp {
            seconds: 0,
            nanos: 1_000_000_000,
        },
        pbjson_types::Timestamp {
            seconds: i64::MAX,
            nanos: 0,
        },
        pbjson_types::Timestamp {
            seconds: i64::MIN,
            nanos: 0,
        },
    ] {
        let mut r = req("p", ok);
        r.published_at = Some(bad);
        assert_invalid(client.classify(r).await, &["published_at"]);
    }
    let requests = (0..5).map(|i| req(&i.to_string(), ok)).collect();
    assert_invalid(
        client
            .classify_batch(pb::ClassifyBatchRequest { requests })
            .await,
        &["5", "4"],
    );
    // At the limit is fine; a too-long text in a batch is an error entry, not a failed call.
    let mut requests: Vec<_> = (0..4).map(|i| req(&i.to_string(), ok)).collect();
    requests[2].text = "x".repeat(5000);
    let resp = client
        .classify_batch(pb::ClassifyBatchRequest { requests })
        .await
        .unwrap()
        .into_inner();
    match &resp.results[2].result {
        Some(pb::batch_result::Result::Error(e)) => {
            assert_eq!(e.code, Code::InvalidArgument as i32);
            assert!(e.message.contains("5000"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn text_over_the_default_limit_is_a_clear_error() {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let limit = khabar::server::DEFAULT_MAX_TEXT_BYTES;
    let text = "a".repeat(limit + 1);
    assert_invalid(
        client.classify(req("huge", &text)).await,
        &[&limit.to_string(), &(limit + 1).to_string()],
    );
    server.stop().await;
}

#[tokio::test]
async fn health_reports_serving() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;
    let server = TestServer::start().await;
    let mut health = HealthClient::new(server.channel().await);
    for service in ["", "khabar.v1.Classifier"] {
        let resp = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(resp.status, ServingStatus::Serving as i32, "{service:?}");
    }
    let err = health
        .check(HealthCheckRequest {
            service: "no.such.Service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    server.stop().await;
}

#[tokio::test]
async fn reflection_v1_lists_and_describes_services() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let server = TestServer::start().await;
    let mut client = ServerReflectionClient::new(server.channel().await);
    let requests = vec![
        ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        },
        ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::FileContainingSymbol(
                "khabar.v1.Classifier".into(),
            )),
        },
    ];
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    match stream.message().await.unwrap().unwrap().message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
            assert!(names.contains(&"khabar.v1.Classifier"), "{names:?}");
            assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
        }
        other => panic!("{other:?}"),
    }
    match stream.message().await.unwrap().unwrap().message_response {
        Some(MessageResponse::FileDescriptorResponse(fd)) => {
            assert!(!fd.file_descriptor_proto.is_empty())
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn reflection_v1alpha_lists_services() {
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;
    let server = TestServer::start().await;
    let mut client = ServerReflectionClient::new(server.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::once(request))
        .await
        .unwrap()
        .into_inner();
    match stream.message().await.unwrap().unwrap().message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
            assert!(names.contains(&"khabar.v1.Classifier"), "{names:?}");
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

/// A `ClassifyStream` call: the sender of its requests and its responses.
type OpenStream = (
    tokio::sync::mpsc::Sender<pb::ClassifyRequest>,
    tonic::Streaming<pb::ClassifyResponse>,
);

/// Opens a `ClassifyStream` and waits for the answer to a first document: from then on the
/// server holds the call.
async fn stream_in_flight(server: &TestServer, text: &str) -> OpenStream {
    let mut client = server.client().await;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut responses = client
        .classify_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    tx.send(req("before", text)).await.unwrap();
    assert_eq!(responses.message().await.unwrap().unwrap().id, "before");
    (tx, responses)
}

/// Sends one more document on a stream in flight, expects its answer, then closes the stream
/// and expects it to end without error.
async fn finish_stream((tx, mut responses): OpenStream, text: &str) {
    tx.send(req("during", text)).await.unwrap();
    let resp = responses.message().await.unwrap().unwrap();
    assert_eq!(resp.id, "during");
    assert!(resp.error.is_none(), "{:?}", resp.error);
    drop(tx);
    assert!(responses.message().await.unwrap().is_none());
}

/// A `Health.Watch` call for `service`, after its first answer (SERVING).
async fn watch_health(
    server: &TestServer,
    service: &str,
) -> tonic::Streaming<tonic_health::pb::HealthCheckResponse> {
    use tonic_health::pb::health_check_response::ServingStatus;
    let mut health = tonic_health::pb::health_client::HealthClient::new(server.channel().await);
    let mut watch = health
        .watch(tonic_health::pb::HealthCheckRequest {
            service: service.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let first = watch.message().await.unwrap().unwrap();
    assert_eq!(first.status, ServingStatus::Serving as i32, "{service:?}");
    watch
}

/// Waits (at most 10 s) until a health watch reports NOT_SERVING.
async fn until_not_serving(
    watch: &mut tonic::Streaming<tonic_health::pb::HealthCheckResponse>,
    service: &str,
) {
    use tonic_health::pb::health_check_response::ServingStatus;
    let not_serving = async {
        loop {
            let status = watch
                .message()
                .await
                .expect("the watch goes on during shutdown")
                .expect("the watch does not end")
                .status;
            if status == ServingStatus::NotServing as i32 {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), not_serving)
        .await
        .unwrap_or_else(|_| panic!("{service:?} turns NOT_SERVING within 10 s"));
}

#[tokio::test]
async fn shutdown_lets_a_stream_in_flight_finish() {
    let mut server = TestServer::start().await;
    let text = support::articles().remove(0).1;
    // The server has answered a first document: it holds the stream.
    let stream = stream_in_flight(&server, &text).await;
    let mut watch = watch_health(&server, "").await;
    server.signal_shutdown();
    // Shutdown has begun once health says NOT_SERVING: `server::run` sets it in the shutdown
    // future, and tonic stops accepting and tells every connection to go away right after it,
    // in the same poll.
    until_not_serving(&mut watch, "").await;
    // The call started before shutdown goes on to the end.
    finish_stream(stream, &text).await;
    // A watch is a call in flight too: end it, or the server waits for it.
    drop(watch);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_turns_health_not_serving_and_refuses_new_calls() {
    let mut server = TestServer::start().await;
    let text = "قال الرئيس أمس إن المحادثات ستستمر.";
    let stream = stream_in_flight(&server, text).await;
    let mut old = server.client().await;
    old.classify(req("old", text))
        .await
        .expect("the client's connection serves before shutdown");
    let mut watches = Vec::new();
    for service in ["", khabar::server::SERVICE_NAME] {
        watches.push((service, watch_health(&server, service).await));
    }
    server.signal_shutdown();
    for (service, watch) in &mut watches {
        until_not_serving(watch, service).await;
    }

    // A new client: tonic has closed the listening socket, so the TCP connection is refused,
    // which tonic reports as UNAVAILABLE.
    let fresh = tonic::transport::Endpoint::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect_lazy();
    let status = pb::classifier_client::ClassifierClient::new(fresh)
        .classify(req("fresh", text))
        .await
        .expect_err("no new connection after shutdown began");
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");

    // A client connected before: HTTP/2 graceful shutdown sends GOAWAY twice, a ping apart, so
    // a call racing the first GOAWAY is still served; once the client has seen it, hyper cancels
    // the call queued on that connection (CANCELLED) and tonic reconnects, which is refused
    // (UNAVAILABLE). So: served or cancelled calls, then UNAVAILABLE for good.
    let mut outcomes = Vec::new();
    let mut unavailable = 0;
    while unavailable < 3 {
        assert!(outcomes.len() < 100, "still served: {outcomes:?}");
        let call = tokio::time::timeout(Duration::from_secs(10), old.classify(req("old", text)))
            .await
            .expect("a call after shutdown never hangs");
        let code = call.map_or_else(|s| s.code(), |_| Code::Ok);
        match code {
            Code::Unavailable => unavailable += 1,
            Code::Ok | Code::Cancelled if unavailable == 0 => {}
            _ => panic!("{code:?} after {outcomes:?}"),
        }
        outcomes.push(code);
    }

    // The call in flight when shutdown began finishes normally.
    finish_stream(stream, text).await;
    drop(watches);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_lets_a_batch_in_flight_finish() {
    // An engine of its own: while the batch is classified, its handler holds the classifier, which
    // tells the test the request is in flight (other tests' requests use the shared engine).
    let engine = std::sync::Arc::new(
        khabar::reload::Engine::load(khabar::reload::RulesSource::Embedded)
            .expect("embedded rules are valid"),
    );
    let mut server = TestServer::start_with(engine, Config::default()).await;
    let mut client = server.client().await;
    // Every document is all five articles, so the batch takes seconds to classify: the request
    // has surely reached the server when shutdown is signalled, and is still being worked on.
    let all: String = support::articles()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n");
    let requests: Vec<_> = (0..256).map(|i| req(&format!("b{i}"), &all)).collect();
    let call = tokio::spawn(async move {
        client
            .classify_batch(pb::ClassifyBatchRequest { requests })
            .await
    });
    // Signal shutdown only once the handler works on the batch: it holds the classifier (the
    // engine holds one reference and this probe another). A fixed sleep was not enough on a
    // loaded machine: sending the 6.8 MB request can take longer than any guess.
    let in_flight = async {
        while std::sync::Arc::strong_count(&server.engine.current()) < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(120), in_flight)
        .await
        .expect("the batch reaches the server");
    server.signal_shutdown();
    let resp = call
        .await
        .unwrap()
        .expect("the batch in flight completes")
        .into_inner();
    assert_eq!(resp.results.len(), 256);
    assert!(resp
        .results
        .iter()
        .all(|r| matches!(r.result, Some(pb::batch_result::Result::Response(_)))));
    server.stop().await;
}

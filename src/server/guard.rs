//! One tower layer around every call (the classifier, health and reflection alike):
//!
//! * **Message limits per method**, checked on the 5-byte gRPC frame header as it arrives: an
//!   oversized message is refused with RESOURCE_EXHAUSTED naming the limit before any of it is
//!   buffered (tonic's decoder would reserve the declared length first). Classify and
//!   ClassifyStream accept [`Config::max_message_bytes`], ClassifyBatch `--max-batch-bytes`,
//!   every other method 64 KiB.
//! * **Bytes on their way**: the lengths announced by the messages still arriving, over all
//!   calls, stay under `--max-pending-bytes` (tonic reserves a message's announced length as soon
//!   as its header arrives, so a thousand peers announcing 2 MiB and sending 1 KB would otherwise
//!   hold 2 GB); a message that would go over is refused with RESOURCE_EXHAUSTED.
//! * **Stalled messages**: a request message that stops arriving midway (and a unary request
//!   whose one message does not arrive) for `--message-timeout` ends the call with
//!   DEADLINE_EXCEEDED, so a peer cannot pin buffers by sending half a message and waiting.
//! * **Deadlines**: `grpc-timeout` becomes a [`Deadline`] in the request's extensions (the
//!   handlers hand it to the worker pool), and a call still running at its deadline is answered
//!   DEADLINE_EXCEEDED (tonic's own timeout, which fires at the same time, says CANCELLED).
//! * **Call counting** for the idle timeout of connections ([`super::transport`]), behind TLS too.

use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body::{Frame, SizeHint};
use tokio::time::Sleep;
use tonic::body::Body;
use tonic::codegen::{BoxFuture, Bytes};
use tonic::Status;
use tower_service::Service;

use super::transport::{CallGuard, ConnInfo};
use super::Config;

/// The client's deadline for a call (from `grpc-timeout`), in the request's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline(pub Instant);

/// Largest request message of the methods without a limit of their own (health, reflection,
/// GetRules).
pub const SMALL_MESSAGE_BYTES: usize = 64 << 10;

/// The layer; see the module docs.
#[derive(Clone, Debug)]
pub struct GuardLayer {
    config: Arc<Config>,
    pending: Arc<Pending>,
}

/// The announced bytes of request messages still arriving, over all calls.
#[derive(Debug)]
pub struct Pending {
    used: AtomicUsize,
    limit: usize,
}

impl Pending {
    /// The budget, in bytes.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// Takes `n` bytes of the budget, or says how full it is.
    pub(crate) fn take(&self, n: usize) -> Result<(), usize> {
        let before = self.used.fetch_add(n, Ordering::SeqCst);
        if before.saturating_add(n) > self.limit {
            self.used.fetch_sub(n, Ordering::SeqCst);
            return Err(before);
        }
        Ok(())
    }

    /// Gives back `n` bytes taken before.
    pub(crate) fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::SeqCst);
    }
}

impl GuardLayer {
    /// A layer enforcing `config`'s message limits and timeouts.
    pub fn new(config: &Config) -> GuardLayer {
        GuardLayer {
            config: Arc::new(*config),
            pending: Arc::new(Pending {
                used: AtomicUsize::new(0),
                limit: config.pending_limit(),
            }),
        }
    }

    /// The budget of bytes on their way, shared with the HTTP/JSON endpoint.
    pub(crate) fn pending(&self) -> Arc<Pending> {
        Arc::clone(&self.pending)
    }
}

impl<S> tower_layer::Layer<S> for GuardLayer {
    type Service = Guard<S>;

    fn layer(&self, inner: S) -> Guard<S> {
        Guard {
            inner,
            config: Arc::clone(&self.config),
            pending: Arc::clone(&self.pending),
        }
    }
}

/// The service of [`GuardLayer`].
#[derive(Clone, Debug)]
pub struct Guard<S> {
    inner: S,
    config: Arc<Config>,
    pending: Arc<Pending>,
}

/// What the guard enforces for one method (and the HTTP/JSON endpoint for its body).
pub(crate) struct MethodLimits {
    /// Short method name for messages (`Classify`).
    pub(crate) name: String,
    /// Largest request message, in bytes.
    pub(crate) max_bytes: usize,
    /// Where the limit comes from, for the error message.
    pub(crate) why: String,
    /// Whether the call needs its one request message before anything happens (the stall
    /// timeout then runs from the start of the call, not only inside a message).
    unary: bool,
}

/// The limits of the method at `path` (`/khabar.v1.Classifier/Classify`).
pub(crate) fn method_limits(config: &Config, path: &str) -> MethodLimits {
    let name = path.rsplit('/').next().unwrap_or(path).to_owned();
    let (max_bytes, why, unary) = match path {
        "/khabar.v1.Classifier/Classify" | "/khabar.v1.Classifier/ClassifyStream" => (
            config.max_message_bytes(),
            format!(
                "--max-text-bytes {} for the text and as much for the title, plus {} bytes for the other fields",
                config.max_text_bytes,
                super::MESSAGE_MARGIN_BYTES
            ),
            path.ends_with("/Classify"),
        ),
        "/khabar.v1.Classifier/ClassifyBatch" => (
            config.max_batch_bytes,
            format!("--max-batch-bytes {}", config.max_batch_bytes),
            true,
        ),
        "/khabar.v1.Classifier/GetRules" => (
            SMALL_MESSAGE_BYTES,
            "GetRules takes an empty message".to_owned(),
            true,
        ),
        _ => (
            SMALL_MESSAGE_BYTES,
            format!("{SMALL_MESSAGE_BYTES} bytes for {name}"),
            false,
        ),
    };
    MethodLimits {
        name,
        max_bytes,
        why,
        unary,
    }
}

impl<S> Service<http::Request<Body>> for Guard<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<http::Response<Body>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<Body>) -> Self::Future {
        // Set by tonic from `Conn::connect_info`; behind TLS tonic inserts it as well as
        // `TlsConnectInfo<ConnInfo>` (tests/it/clients.rs checks that a call in flight keeps a
        // TLS connection from the idle timeout).
        let conn = req.extensions().get::<ConnInfo>().cloned();
        let call = conn.as_ref().map(|c| c.state.call_started());
        if let Some(c) = conn {
            // tonic's `Request::remote_addr` looks for this type.
            req.extensions_mut()
                .insert(tonic::transport::server::TcpConnectInfo {
                    local_addr: c.local_addr,
                    remote_addr: c.remote_addr,
                });
        }
        let deadline = grpc_timeout(req.headers()).and_then(|d| Instant::now().checked_add(d));
        if let Some(d) = deadline {
            req.extensions_mut().insert(Deadline(d));
        }
        let limits = method_limits(&self.config, req.uri().path());
        let stall = Some(self.config.message_timeout).filter(|d| !d.is_zero());
        let pending = Arc::clone(&self.pending);
        let req = req.map(|body| Body::new(GuardedBody::new(body, limits, stall, Some(pending))));

        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            let fut = inner.call(req);
            let response = match deadline {
                // A millisecond early: tonic's timer for the same deadline would answer CANCELLED.
                Some(d) => {
                    let at = d.checked_sub(Duration::from_millis(1)).unwrap_or(d);
                    match tokio::time::timeout_at(at.into(), fut).await {
                        Ok(r) => r?,
                        Err(_) => {
                            Status::deadline_exceeded("deadline exceeded before the call completed")
                                .into_http()
                        }
                    }
                }
                None => fut.await?,
            };
            Ok(track(response, call))
        })
    }
}

/// `grpc-timeout`: up to 8 digits and a unit (H, M, S, m, u, n). `None` when absent or malformed
/// (then the call has no deadline, as tonic does).
pub fn grpc_timeout(headers: &http::HeaderMap) -> Option<Duration> {
    let v = headers.get("grpc-timeout")?.to_str().ok()?;
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (digits, unit) = v.split_at(v.len() - 1);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// `response`, keeping `call` counted until its body is sent (or dropped).
pub(crate) fn track(
    response: http::Response<Body>,
    call: Option<CallGuard>,
) -> http::Response<Body> {
    match call {
        Some(call) => response.map(|b| {
            Body::new(Tracked {
                inner: b,
                _call: call,
            })
        }),
        None => response,
    }
}

/// A response body that keeps its call counted until the response is sent (or dropped).
struct Tracked {
    inner: Body,
    _call: CallGuard,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Where the request body is in the gRPC framing (5-byte header: flag and big-endian length).
#[derive(Clone, Copy, Debug)]
enum Framing {
    /// `have` bytes of a header read so far.
    Header { have: usize, bytes: [u8; 5] },
    /// Inside a message, `remaining` bytes to go.
    Message { remaining: usize },
}

/// A request body checked frame by frame: see the module docs.
struct GuardedBody {
    inner: Body,
    limits: MethodLimits,
    framing: Framing,
    /// Messages received in full.
    complete: usize,
    /// The stall timeout and its timer (re-armed by every data frame).
    stall: Option<(Duration, Pin<Box<Sleep>>)>,
    /// An error was returned: the body is over.
    failed: bool,
    /// The budget of bytes on their way, and what the message arriving holds of it.
    pending: Option<Arc<Pending>>,
    held: usize,
}

impl Drop for GuardedBody {
    fn drop(&mut self) {
        self.release();
    }
}

impl GuardedBody {
    fn new(
        inner: Body,
        limits: MethodLimits,
        stall: Option<Duration>,
        pending: Option<Arc<Pending>>,
    ) -> GuardedBody {
        GuardedBody {
            inner,
            limits,
            framing: Framing::Header {
                have: 0,
                bytes: [0; 5],
            },
            complete: 0,
            stall: stall.map(|d| (d, Box::pin(tokio::time::sleep(d)))),
            failed: false,
            pending,
            held: 0,
        }
    }

    /// Gives back the budget held by the message that was arriving.
    fn release(&mut self) {
        if let Some(p) = &self.pending {
            p.give_back(std::mem::take(&mut self.held));
        }
    }

    /// Follows the framing through `data`; refuses a header announcing an oversized message.
    fn scan(&mut self, mut data: &[u8]) -> Result<(), Status> {
        while !data.is_empty() {
            match &mut self.framing {
                Framing::Header { have, bytes } => {
                    let take = (5 - *have).min(data.len());
                    bytes[*have..*have + take].copy_from_slice(&data[..take]);
                    *have += take;
                    data = &data[take..];
                    if *have == 5 {
                        let len =
                            u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
                        if len > self.limits.max_bytes {
                            return Err(Status::resource_exhausted(format!(
                                "{} request message is {len} bytes, over the limit of {} bytes ({})",
                                self.limits.name, self.limits.max_bytes, self.limits.why
                            )));
                        }
                        if let Some(p) = &self.pending {
                            if let Err(used) = p.take(len) {
                                return Err(Status::resource_exhausted(format!(
                                    "server busy: request messages of {used} bytes are arriving, and this {} message of {len} bytes would take them over {} bytes (--max-pending-bytes); retry with backoff",
                                    self.limits.name, p.limit
                                )));
                            }
                            self.held = len;
                        }
                        self.framing = Framing::Message { remaining: len };
                    }
                }
                Framing::Message { remaining } => {
                    let take = (*remaining).min(data.len());
                    *remaining -= take;
                    data = &data[take..];
                }
            }
            if let Framing::Message { remaining: 0 } = self.framing {
                self.release();
                self.complete += 1;
                self.framing = Framing::Header {
                    have: 0,
                    bytes: [0; 5],
                };
            }
        }
        Ok(())
    }

    /// Whether the peer owes data: inside a message, or before a unary call's message.
    fn owes_data(&self) -> bool {
        match self.framing {
            Framing::Message { .. } => true,
            Framing::Header { have, .. } => have > 0 || (self.limits.unary && self.complete == 0),
        }
    }
}

impl http_body::Body for GuardedBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        if this.failed {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    if let Err(status) = this.scan(data) {
                        this.failed = true;
                        tracing::debug!(method = %this.limits.name, error = %status.message(), "request refused");
                        return Poll::Ready(Some(Err(status)));
                    }
                    if let Some((d, timer)) = this.stall.as_mut() {
                        timer.as_mut().reset((Instant::now() + *d).into());
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                if this.owes_data() {
                    if let Some((d, timer)) = this.stall.as_mut() {
                        if timer.as_mut().poll(cx).is_ready() {
                            this.failed = true;
                            let status = Status::deadline_exceeded(format!(
                                "{} request message incomplete: no data for {} s (--message-timeout)",
                                this.limits.name,
                                d.as_secs_f64()
                            ));
                            tracing::debug!(method = %this.limits.name, "stalled request dropped");
                            return Poll::Ready(Some(Err(status)));
                        }
                    }
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_units() {
        let h = |v: &str| {
            let mut m = http::HeaderMap::new();
            m.insert("grpc-timeout", v.parse().unwrap());
            grpc_timeout(&m)
        };
        assert_eq!(h("5S"), Some(Duration::from_secs(5)));
        assert_eq!(h("250m"), Some(Duration::from_millis(250)));
        assert_eq!(h("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(h("7n"), Some(Duration::from_nanos(7)));
        assert_eq!(h("99999999H"), Some(Duration::from_secs(99_999_999 * 3600)));
        for bad in ["S", "5", "123456789S", "5s", "-5S", "5 S"] {
            assert_eq!(h(bad), None, "{bad}");
        }
        assert_eq!(grpc_timeout(&http::HeaderMap::new()), None);
    }

    fn body(limit: usize, unary: bool) -> GuardedBody {
        GuardedBody::new(
            Body::empty(),
            MethodLimits {
                name: "Classify".into(),
                max_bytes: limit,
                why: "test".into(),
                unary,
            },
            None,
            None,
        )
    }

    #[test]
    fn framing_across_chunks() {
        let mut b = body(10, false);
        assert!(!b.owes_data());
        b.scan(&[0, 0, 0]).unwrap();
        assert!(b.owes_data(), "half a header");
        b.scan(&[0, 3, b'a']).unwrap();
        assert!(b.owes_data(), "inside a message");
        b.scan(&[b'b', b'c', 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(b.complete, 2, "a message and an empty one");
        assert!(!b.owes_data());
        let e = b.scan(&[0, 0, 0, 0, 11]).unwrap_err();
        assert_eq!(e.code(), tonic::Code::ResourceExhausted);
        assert!(e.message().contains("11 bytes"), "{}", e.message());
        assert!(e.message().contains("limit of 10 bytes"), "{}", e.message());
    }

    #[test]
    fn messages_on_their_way_share_a_budget() {
        let pending = Arc::new(Pending {
            used: AtomicUsize::new(0),
            limit: 100,
        });
        let mut a = body(1000, false);
        a.pending = Some(Arc::clone(&pending));
        let mut b = body(1000, false);
        b.pending = Some(Arc::clone(&pending));
        a.scan(&[0, 0, 0, 0, 60, b'x']).unwrap();
        let e = b.scan(&[0, 0, 0, 0, 50]).unwrap_err();
        assert_eq!(e.code(), tonic::Code::ResourceExhausted);
        assert!(
            e.message().contains("--max-pending-bytes"),
            "{}",
            e.message()
        );
        drop(b); // a refused body ends the call
        let mut c = body(1000, false);
        c.pending = Some(Arc::clone(&pending));
        c.scan(&[0, 0, 0, 0, 40]).unwrap();
        assert_eq!(pending.used.load(Ordering::SeqCst), 100);
        a.scan(&[b'y'; 59]).unwrap();
        assert_eq!(
            pending.used.load(Ordering::SeqCst),
            40,
            "a complete message gives back"
        );
        drop(c);
        assert_eq!(
            pending.used.load(Ordering::SeqCst),
            0,
            "a dropped body gives back"
        );
    }

    #[test]
    fn a_unary_call_owes_its_message() {
        let mut b = body(10, true);
        assert!(b.owes_data());
        b.scan(&[0, 0, 0, 0, 1, b'x']).unwrap();
        assert!(!b.owes_data());
    }
}

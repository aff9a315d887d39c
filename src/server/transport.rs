//! Connections: the accept loop and every accepted socket.
//!
//! tonic's own `TcpIncoming` is not used because the server is handed a bound listener, and
//! because what it lacks is needed here:
//!
//! * **TCP_NODELAY** on every accepted socket: without it Nagle's algorithm holds each small
//!   response back for the peer's delayed ACK (about 40 ms per unary call).
//! * **A connection limit**: past `max_connections` a new connection is accepted and closed at
//!   once, so the client fails fast (UNAVAILABLE) instead of waiting in the kernel's backlog.
//! * **Backoff on EMFILE/ENFILE/ENOBUFS/ENOMEM**: when accept fails for lack of resources the
//!   listener stays readable, and retrying at once spins a core; the loop sleeps (100 ms doubling
//!   to 1 s) instead.
//! * **An idle timeout**: a connection with no call for `idle_timeout` is closed (its reads end,
//!   as if the peer had hung up). Calls are counted by [`super::guard`] through [`ConnInfo`],
//!   which tonic puts in every request's extensions.
//! * **A forced close** for the end of the drain: [`Connections::force_close`] makes every
//!   connection's reads and writes fail, which ends the connections tonic is still serving.

use std::future::Future as _;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tokio_stream::Stream;
use tonic::transport::server::Connected;

/// State shared by the accept loop, every connection and the call guard.
#[derive(Debug)]
pub struct Connections {
    /// Closes a connection without calls for this long (`None`: never).
    idle_timeout: Option<Duration>,
    /// Set at the end of the drain: every connection fails its IO.
    closing: AtomicBool,
    /// Wakes every connection when `closing` is set.
    closing_tx: tokio::sync::watch::Sender<bool>,
    /// Connection slots (`max_connections`).
    slots: Arc<Semaphore>,
    max_connections: usize,
    /// Calls in flight on all connections.
    calls: AtomicUsize,
    /// Connections refused because every slot was taken.
    refused: AtomicU64,
    /// Time base of the per-connection activity stamps.
    epoch: Instant,
}

impl Connections {
    /// Shared state for at most `max_connections` connections, closing those idle for
    /// `idle_timeout` (`None` or zero: never).
    pub fn new(max_connections: usize, idle_timeout: Option<Duration>) -> Arc<Connections> {
        let max_connections = max_connections.clamp(1, Semaphore::MAX_PERMITS);
        Arc::new(Connections {
            idle_timeout: idle_timeout.filter(|d| !d.is_zero()),
            closing: AtomicBool::new(false),
            closing_tx: tokio::sync::watch::channel(false).0,
            slots: Arc::new(Semaphore::new(max_connections)),
            max_connections,
            calls: AtomicUsize::new(0),
            refused: AtomicU64::new(0),
            epoch: Instant::now(),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.max_connections - self.slots.available_permits()
    }

    /// Calls in flight now, on every connection.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    /// Connections refused so far because the limit was reached.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Fails the IO of every connection, open or still to come: the end of the drain.
    pub fn force_close(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.closing_tx.send_replace(true);
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }
}

/// Accepted connections of a listener, as tonic's `serve_with_incoming` wants them.
pub struct Incoming {
    listener: TcpListener,
    shared: Arc<Connections>,
    /// Set after a resource error: no accept until it fires.
    backoff: Option<Pin<Box<Sleep>>>,
    next_backoff: Duration,
    /// Last warning about refused connections or accept errors (at most one a second).
    last_warning: Option<Instant>,
}

impl Incoming {
    /// Accepts from `listener` under the limits of `shared`.
    pub fn new(listener: TcpListener, shared: Arc<Connections>) -> Incoming {
        Incoming {
            listener,
            shared,
            backoff: None,
            next_backoff: MIN_BACKOFF,
            last_warning: None,
        }
    }

    fn may_warn(&mut self) -> bool {
        let now = Instant::now();
        if self
            .last_warning
            .is_some_and(|t| now.duration_since(t) < Duration::from_secs(1))
        {
            return false;
        }
        self.last_warning = Some(now);
        true
    }
}

const MIN_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Accept errors that mean "out of resources": retrying at once would spin.
fn is_resource_error(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

impl Stream for Incoming {
    type Item = io::Result<Conn>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(sleep) = this.backoff.as_mut() {
                ready!(sleep.as_mut().poll(cx));
                this.backoff = None;
            }
            let (stream, peer) = match ready!(this.listener.poll_accept(cx)) {
                Ok(accepted) => accepted,
                Err(e) if is_resource_error(&e) => {
                    let wait = this.next_backoff;
                    if this.may_warn() {
                        tracing::warn!(
                            "cannot accept connections: {e}; retrying in {} ms",
                            wait.as_millis()
                        );
                    }
                    this.next_backoff = (wait * 2).min(MAX_BACKOFF);
                    this.backoff = Some(Box::pin(tokio::time::sleep(wait)));
                    continue;
                }
                Err(e) => {
                    // A connection that failed between SYN and accept (ECONNABORTED...).
                    tracing::debug!("accept failed: {e}");
                    continue;
                }
            };
            this.next_backoff = MIN_BACKOFF;
            let Ok(permit) = Arc::clone(&this.shared.slots).try_acquire_owned() else {
                this.shared.refused.fetch_add(1, Ordering::Relaxed);
                if this.may_warn() {
                    tracing::warn!(
                        %peer,
                        limit = this.shared.max_connections,
                        "connection limit reached: closing new connections"
                    );
                }
                drop(stream);
                continue;
            };
            if let Err(e) = stream.set_nodelay(true) {
                tracing::debug!(%peer, "cannot set TCP_NODELAY: {e}");
            }
            return Poll::Ready(Some(Ok(Conn::new(
                stream,
                peer,
                Arc::clone(&this.shared),
                permit,
            ))));
        }
    }
}

/// Per-connection call count and last activity, shared with the call guard through [`ConnInfo`].
#[derive(Debug)]
pub struct ConnState {
    shared: Arc<Connections>,
    /// Calls in flight on this connection.
    calls: AtomicUsize,
    /// When the last call ended (ms since `Connections::epoch`).
    last_call_end: AtomicU64,
}

impl ConnState {
    /// A call starts on this connection; it ends when the returned guard is dropped.
    pub fn call_started(self: &Arc<Self>) -> CallGuard {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.shared.calls.fetch_add(1, Ordering::Relaxed);
        CallGuard {
            state: Arc::clone(self),
        }
    }
}

/// A call in flight; counts as activity of its connection until dropped.
#[derive(Debug)]
pub struct CallGuard {
    state: Arc<ConnState>,
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let s = &self.state;
        s.last_call_end.store(s.shared.now_ms(), Ordering::SeqCst);
        s.calls.fetch_sub(1, Ordering::SeqCst);
        s.shared.calls.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What tonic puts in the extensions of every request of a connection.
#[derive(Clone, Debug)]
pub struct ConnInfo {
    /// The peer's address.
    pub remote_addr: Option<SocketAddr>,
    /// The local address the peer connected to.
    pub local_addr: Option<SocketAddr>,
    /// The connection's call count.
    pub state: Arc<ConnState>,
}

/// An accepted connection: a TCP stream with the idle timeout and the forced close, holding a
/// connection slot until dropped.
pub struct Conn {
    stream: TcpStream,
    info: ConnInfo,
    /// Fires when the connection may have become idle.
    idle: Option<Pin<Box<Sleep>>>,
    /// Completes when the server forces connections closed.
    closing: Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    _slot: OwnedSemaphorePermit,
}

impl Conn {
    fn new(
        stream: TcpStream,
        peer: SocketAddr,
        shared: Arc<Connections>,
        slot: OwnedSemaphorePermit,
    ) -> Conn {
        let idle = shared.idle_timeout.map(|d| Box::pin(tokio::time::sleep(d)));
        let mut closing_rx = shared.closing_tx.subscribe();
        let closing = Box::pin(async move {
            let _ = closing_rx.wait_for(|closing| *closing).await;
        });
        let state = Arc::new(ConnState {
            last_call_end: AtomicU64::new(shared.now_ms()),
            calls: AtomicUsize::new(0),
            shared,
        });
        Conn {
            info: ConnInfo {
                remote_addr: Some(peer),
                local_addr: stream.local_addr().ok(),
                state,
            },
            stream,
            idle,
            closing,
            _slot: slot,
        }
    }

    /// An error once the server forces connections closed (and registers for the wake-up).
    fn check_closing(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let shared = &self.info.state.shared;
        if shared.closing.load(Ordering::SeqCst) || self.closing.as_mut().poll(cx).is_ready() {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "server shutting down: drain timeout reached",
            ));
        }
        Ok(())
    }

    /// Whether the connection has had no call for the idle timeout (and re-arms the timer
    /// otherwise).
    fn idle_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(timer) = self.idle.as_mut() else {
            return false;
        };
        let state = &self.info.state;
        let Some(timeout) = state.shared.idle_timeout else {
            return false;
        };
        while timer.as_mut().poll(cx).is_ready() {
            let next = if state.calls.load(Ordering::SeqCst) > 0 {
                Instant::now() + timeout
            } else {
                let idle_since = state.last_call_end.load(Ordering::SeqCst);
                let at = Duration::from_millis(idle_since) + timeout;
                let now = state.shared.epoch.elapsed();
                if now >= at {
                    return true;
                }
                Instant::now() + (at - now)
            };
            timer.as_mut().reset(next.into());
        }
        false
    }
}

impl Connected for Conn {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        self.info.clone()
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        this.check_closing(cx)?;
        if this.idle_expired(cx) {
            tracing::debug!(peer = ?this.info.remote_addr, "closing an idle connection");
            return Poll::Ready(Ok(())); // end of stream: hyper closes the connection
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        this.check_closing(cx)?;
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        this.check_closing(cx)?;
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        this.check_closing(cx)?;
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

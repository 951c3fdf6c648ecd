//! The mock's connections: every answer in the vendor's envelope, even those the HTTP layer
//! writes itself.
//!
//! hyper answers a request head it cannot read without asking the application: `414` for a
//! URI over [`MAX_URI_LEN`] (the `http` crate's limit), `431` for a head over
//! [`MAX_HEAD_BYTES`] or with more than [`MAX_HEADERS`] headers, `400` for a malformed one —
//! each with an empty body, no content type and no `Request-Id`. [`Guarded`] wraps each
//! connection and replaces such an answer, as hyper writes it, with the vendor's: the request's
//! first bytes (captured as they are read) tell whose path it was (`/checkout/…` is Gr4vy's), and
//! that half of the mock renders the refusal ([`crate::vendor::stripe::mock::StripeMock::refusal`],
//! [`crate::vendor::gr4vy::mock::Gr4vyMock::refusal`]). hyper closes the connection after such an
//! answer; so does the replacement (`connection: close`).
//!
//! An answer of hyper's own is recognised by its head: a `4xx` without `content-type`, which
//! the mock's own answers always carry.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The longest request URI (request target) the mock reads, in bytes: the `http` crate's limit
/// (`u16::MAX - 1`). A longer one is answered `414` (Stripe) or `400` (Gr4vy) in the envelope.
pub const MAX_URI_LEN: usize = u16::MAX as usize - 1;
/// The largest request head (request line and headers) the mock always reads, in bytes:
/// hyper's default read buffer limit (8 KiB + 100 × 4 KiB). hyper's buffer grows in steps, so a
/// somewhat larger head may still be read; one over twice this never is: it is answered `431`
/// (Stripe) or `400` (Gr4vy) in the envelope.
pub const MAX_HEAD_BYTES: usize = 8192 + 4096 * 100;
/// The most headers a request may have: hyper's default. More are answered like
/// [`MAX_HEAD_BYTES`].
pub const MAX_HEADERS: usize = 100;

/// How many bytes of a request's start are kept to tell whose path it is.
const START_LEN: usize = 24;

/// Renders the vendor's answer to a refused request: the start of its path (whose half of the
/// mock it is for), and the status hyper chose.
pub type Refuse = dyn Fn(&str, StatusCode) -> (StatusCode, HeaderMap, Bytes) + Send + Sync;

/// A connection whose HTTP-layer refusals are rewritten into the vendor's envelope.
pub struct Guarded<IO> {
    inner: IO,
    refuse: std::sync::Arc<Refuse>,
    /// The first bytes read since the last answer began: the request line's start.
    start: [u8; START_LEN],
    start_len: usize,
    /// A replacement answer still to write, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<IO> Guarded<IO> {
    /// Wraps `inner`; `refuse` renders the vendor's answers.
    pub fn new(inner: IO, refuse: std::sync::Arc<Refuse>) -> Self {
        Guarded {
            inner,
            refuse,
            start: [0; START_LEN],
            start_len: 0,
            pending: None,
        }
    }

    /// The start of the path of the request being read (`METHOD /path…`), as far as it was
    /// kept; empty when the request line had no space yet.
    fn path_start(&self) -> String {
        let start = &self.start[..self.start_len];
        let path = start
            .iter()
            .position(|b| *b == b' ')
            .map_or(&[][..], |space| &start[space + 1..]);
        String::from_utf8_lossy(path).into_owned()
    }

    /// The replacement for `head` when it is an answer of hyper's own, else `None`.
    fn replacement(&self, head: &[u8]) -> Option<Vec<u8>> {
        let status = hyper_refusal(head)?;
        let (status, headers, body) = (self.refuse)(&self.path_start(), status);
        let mut out = format!(
            "HTTP/1.1 {} {}\r\ncontent-length: {}\r\nconnection: close\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            body.len()
        )
        .into_bytes();
        for (name, value) in &headers {
            out.extend_from_slice(name.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&body);
        Some(out)
    }
}

/// The status of `head` when it is an answer hyper wrote itself: `HTTP/1.1 4xx` without
/// `content-type`.
///
/// ```
/// use checkout_conformance::mock::transport::hyper_refusal;
/// use axum::http::StatusCode;
/// let hyper = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
/// assert_eq!(hyper_refusal(hyper), Some(StatusCode::URI_TOO_LONG));
/// let mock = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{}";
/// assert_eq!(hyper_refusal(mock), None);
/// ```
pub fn hyper_refusal(head: &[u8]) -> Option<StatusCode> {
    let rest = head.strip_prefix(b"HTTP/1.1 4")?;
    let status = StatusCode::from_bytes(head.get(9..12)?).ok()?;
    let end = rest
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(rest.len());
    let typed = rest[..end]
        .split(|b| *b == b'\n')
        .any(|line| line.len() > 13 && line[..13].eq_ignore_ascii_case(b"content-type:"));
    (!typed).then_some(status)
}

impl<IO: AsyncWrite + Unpin> Guarded<IO> {
    /// Writes what is left of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Begins an answer: forgets the request's start, and swaps hyper's refusal for the
    /// vendor's. `Some(n)`: `n` bytes taken (the refusal, replaced).
    fn begin(&mut self, first: &[u8]) -> Option<usize> {
        if !first.starts_with(b"HTTP/") {
            return None;
        }
        let replaced = self.replacement(first);
        self.start_len = 0;
        let replaced = replaced?;
        self.pending = Some((replaced, 0));
        Some(first.len())
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Guarded<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        let this = &mut *self;
        if this.start_len < START_LEN {
            let new = &buf.filled()[before..];
            let take = new.len().min(START_LEN - this.start_len);
            this.start[this.start_len..this.start_len + take].copy_from_slice(&new[..take]);
            this.start_len += take;
        }
        Poll::Ready(Ok(()))
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Guarded<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(n) = self.begin(buf) {
            return Poll::Ready(Ok(n));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(first) = bufs.iter().find(|b| !b.is_empty()) {
            if self.begin(first).is_some() {
                return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

//! Google's Rust dcSCTP (the `dcsctp` crate, 0.1.16) as a simulator [`Node`]: the interop peer
//! and the benchmark baseline for our engine.
//!
//! # The dcsctp API in brief
//! - **Create**: `dcsctp::new_socket(name, &Options) -> Box<dyn DcSctpSocket>`. One socket is one
//!   association with one peer; `name` only labels log lines. There is no listen/accept: a closed
//!   socket answers an INIT by itself (the passive side just never calls `connect`).
//! - **Options** (`dcsctp::api::Options`, `Clone`): SCTP `local_port`/`remote_port` (5000/5000),
//!   `mtu` (1191: the largest SCTP packet, common header included), `max_message_size` (256 KiB),
//!   receive window and send buffer sizes, `rto_initial`/`rto_min`/`rto_max` (500 ms / 400 ms /
//!   60 s), `t1_init_timeout`, `t1_cookie_timeout`, `t2_shutdown_timeout` (1 s),
//!   `heartbeat_interval` (30 s), `delayed_ack_max_timeout` (200 ms), `cwnd_mtus_initial` (10),
//!   `max_burst`, `max_retransmissions` (10) and `max_init_retransmits` (8),
//!   `enable_partial_reliability` (RFC 3758, on), `enable_message_interleaving` (RFC 8260 I-DATA,
//!   off), `zero_checksum_alternate_error_detection_method` (RFC 9653, none), and a test-only
//!   `disable_checksum_verification`.
//! - **Time**: `SocketTime`, a `Duration` since the socket's own epoch (`SocketTime::zero()`); it
//!   is opaque, built only as `zero() + duration`. The socket has no clock: `advance_time(now)`
//!   sets its current time (ignored if it goes backwards) and fires every expired timer; user
//!   commands (`connect`, `send`, `shutdown`, ...) use the time of the last `advance_time`.
//! - **Timeouts**: `poll_timeout()` is the earliest timer deadline (never earlier than the last
//!   `advance_time`), or `SocketTime::infinite_future()` when no timer runs.
//! - **Packets**: in with `handle_input(&[u8])` (one SCTP packet, from the common header on; the
//!   CRC32c is checked, the ports are not); out as `SocketEvent::SendPacket(Vec<u8>)` events.
//! - **Events**: `poll_event()` drains `SocketEvent`s: `SendPacket`, `OnConnected`, `OnClosed`,
//!   `OnAborted(kind, reason)`, `OnError(kind, reason)`, `OnConnectionRestarted`,
//!   `OnBufferedAmountLow(stream)`, `OnTotalBufferedAmountLow`, `OnStreamsResetPerformed`,
//!   `OnStreamsResetFailed`, `OnIncomingStreamReset`, and per-message lifecycle events
//!   (`FullySent`, `MaybeExpired`, `Expired`, `Delivered`, `End`) when a lifecycle id was given.
//! - **Send**: `send(Message { stream_id, ppid, payload }, &SendOptions { unordered, lifetime,
//!   max_retransmissions, lifecycle_id })` queues a whole message (allowed before the association
//!   is up); `send_many` batches. Empty payloads are refused. `lifetime`/`max_retransmissions` are
//!   PR-SCTP (FORWARD-TSN, or I-FORWARD-TSN with interleaving) and only act if negotiated.
//! - **Receive**: `get_next_message()` pops fully reassembled messages. The queue lives in the
//!   association, so it is gone once the socket closes: this adapter drains it eagerly.
//! - **Close**: `shutdown()` is graceful (`OnClosed` at the end); `close()` sends ABORT and closes
//!   at once, emitting `OnClosed`. A received ABORT gives `OnAborted(PeerReported, ..)`.
//! - **Stream reset** (RFC 6525): `reset_streams(&[StreamId])` resets *outgoing* streams only
//!   (no add-streams requests); RE-CONFIG is always advertised.
//! - **Not supported**: AUTH (RFC 4895), ASCONF, multi-homing; a socket has exactly one path.
//! - **Randomness**: verification tags, initial TSNs and tie tags come from `fastrand`'s
//!   thread-local global generator. It can be seeded (`fastrand::seed`), so this adapter reseeds
//!   it from the node's own seeded generator before every call into the socket: each node's
//!   draws depend only on its seed and its inputs. Residual non-determinism: a few internal
//!   `HashMap`s with std's random hasher are iterated (the order of stream ids in one outgoing
//!   reset request when several streams are reset at once, and the order in which unordered
//!   messages of different streams are released by a FORWARD-TSN). Single-stream traffic,
//!   handshake, retransmission and shutdown are fully deterministic.
//! - **Cost to know for benchmarks**: dcsctp hex-formats every packet it sends or receives for
//!   its `log::info!` line even when no logger is installed.
//!
//! # This adapter
//! [`DcsctpNode`] owns one socket, a local and a peer [`Addr`], and implements [`Node`].
//! Outgoing packets become [`Datagram`]s from `local` to `peer` with ECN 0; datagrams for another
//! address are counted as misrouted and ignored. Received messages are moved into the node as
//! soon as they are reassembled ([`DcsctpNode::pop_message`]), so the advertised receive window
//! never reflects an application that does not read. User commands run at the socket time of the
//! last `Node` call: call [`Node::handle_timeout`] with the current time first if time has moved.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use dcsctp::api::{
    DcSctpSocket, LifecycleId, Options, PpId, SendOptions as DcSendOptions, SocketEvent,
    SocketState, SocketTime, StreamId,
    ZERO_CHECKSUM_ALTERNATE_ERROR_DETECTION_METHOD_LOWER_LAYER_DTLS,
    ZERO_CHECKSUM_ALTERNATE_ERROR_DETECTION_METHOD_NONE,
};
use usrsctp::types::Instant;

pub use super::sim::{Addr, Datagram, Node};

/// Construction options: the dcsctp options a test usually varies, plus the seed.
///
/// Defaults are dcsctp's own, with SCTP ports 5000/5000. For anything not listed here use
/// [`DcsctpNode::with_options`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Labels dcsctp's log lines.
    pub name: String,
    /// Seeds the node's generator for verification tags, initial TSNs and tie tags.
    pub seed: u64,
    /// SCTP source port of outgoing packets.
    pub local_port: u16,
    /// SCTP destination port of outgoing packets.
    pub remote_port: u16,
    /// Largest SCTP packet dcsctp emits, common header included (dcsctp default 1191).
    pub mtu: usize,
    /// Largest message `send` accepts (dcsctp default 256 KiB).
    pub max_message_size: usize,
    /// Offer RFC 8260 I-DATA (used only if the peer offers it too).
    pub interleaving: bool,
    /// Offer RFC 3758 PR-SCTP / FORWARD-TSN.
    pub partial_reliability: bool,
    /// Offer RFC 9653 zero checksum with the "lower layer DTLS" method.
    pub zero_checksum: bool,
    pub rto_initial: Duration,
    pub rto_min: Duration,
    pub rto_max: Duration,
    /// Per-chunk retransmission limit before the association aborts; `None` is unlimited.
    pub max_retransmissions: Option<u32>,
    /// INIT/COOKIE-ECHO retransmission limit; `None` is unlimited.
    pub max_init_retransmits: Option<u32>,
    /// Idle heartbeat interval; zero disables heartbeats.
    pub heartbeat_interval: Duration,
    pub delayed_ack_max_timeout: Duration,
    /// Initial congestion window, in MTUs.
    pub cwnd_mtus_initial: usize,
    /// Receive buffer, which is also the advertised a_rwnd.
    pub max_receiver_window: usize,
    /// Send queue limit, total and per stream.
    pub max_send_buffer: usize,
}

impl Default for Config {
    fn default() -> Self {
        let o = Options::default();
        Config {
            name: "dcsctp".into(),
            seed: 0,
            local_port: o.local_port,
            remote_port: o.remote_port,
            mtu: o.mtu,
            max_message_size: o.max_message_size,
            interleaving: o.enable_message_interleaving,
            partial_reliability: o.enable_partial_reliability,
            zero_checksum: false,
            rto_initial: o.rto_initial,
            rto_min: o.rto_min,
            rto_max: o.rto_max,
            max_retransmissions: o.max_retransmissions,
            max_init_retransmits: o.max_init_retransmits,
            heartbeat_interval: o.heartbeat_interval,
            delayed_ack_max_timeout: o.delayed_ack_max_timeout,
            cwnd_mtus_initial: o.cwnd_mtus_initial,
            max_receiver_window: o.max_receiver_window_buffer_size,
            max_send_buffer: o.max_send_buffer_size,
        }
    }
}

impl Config {
    /// The dcsctp options this configuration stands for.
    pub fn options(&self) -> Options {
        Options {
            local_port: self.local_port,
            remote_port: self.remote_port,
            mtu: self.mtu,
            max_message_size: self.max_message_size,
            enable_message_interleaving: self.interleaving,
            enable_partial_reliability: self.partial_reliability,
            zero_checksum_alternate_error_detection_method: if self.zero_checksum {
                ZERO_CHECKSUM_ALTERNATE_ERROR_DETECTION_METHOD_LOWER_LAYER_DTLS
            } else {
                ZERO_CHECKSUM_ALTERNATE_ERROR_DETECTION_METHOD_NONE
            },
            rto_initial: self.rto_initial,
            rto_min: self.rto_min,
            rto_max: self.rto_max,
            max_retransmissions: self.max_retransmissions,
            max_init_retransmits: self.max_init_retransmits,
            heartbeat_interval: self.heartbeat_interval,
            delayed_ack_max_timeout: self.delayed_ack_max_timeout,
            cwnd_mtus_initial: self.cwnd_mtus_initial,
            max_receiver_window_buffer_size: self.max_receiver_window,
            max_send_buffer_size: self.max_send_buffer,
            per_stream_send_queue_limit: self.max_send_buffer,
            ..Options::default()
        }
    }
}

/// Association state as dcsctp reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    /// INIT or COOKIE-ECHO sent; only an actively connecting socket is ever in this state.
    Connecting,
    Connected,
    /// Any of SHUTDOWN-PENDING, -SENT, -RECEIVED, -ACK-SENT.
    ShuttingDown,
}

/// Why dcsctp reported an error or aborted (mirrors `dcsctp::api::ErrorKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Too many retransmissions or timeouts: the peer is unreachable.
    TooManyRetries,
    /// A command that needs an association was given without one.
    NotConnected,
    /// An incoming packet or parameter failed to parse (bad CRC, wrong verification tag, ...).
    ParseFailed,
    /// Chunks arrived in an unexpected order.
    WrongSequence,
    /// The peer sent ERROR or ABORT; the cause is in the text.
    PeerReported,
    /// The peer violated the protocol.
    ProtocolViolation,
    /// A send or receive buffer is exhausted.
    ResourceExhaustion,
    /// The application asked for something invalid or unsupported.
    UnsupportedOperation,
    /// dcsctp's `NoError`, which it documents as never reported.
    NoError,
}

impl From<dcsctp::api::ErrorKind> for ErrorKind {
    fn from(kind: dcsctp::api::ErrorKind) -> Self {
        use dcsctp::api::ErrorKind as K;
        match kind {
            K::NoError => ErrorKind::NoError,
            K::TooManyRetries => ErrorKind::TooManyRetries,
            K::NotConnected => ErrorKind::NotConnected,
            K::ParseFailed => ErrorKind::ParseFailed,
            K::WrongSequence => ErrorKind::WrongSequence,
            K::PeerReported => ErrorKind::PeerReported,
            K::ProtocolViolation => ErrorKind::ProtocolViolation,
            K::ResourceExhaustion => ErrorKind::ResourceExhaustion,
            K::UnsupportedOperation => ErrorKind::UnsupportedOperation,
        }
    }
}

/// What happened to the association, in the order dcsctp reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The association is established (either side).
    Connected,
    /// The peer restarted the association; data may have been lost.
    ConnectionRestarted,
    /// Closed in a controlled way: graceful shutdown completed, or [`DcsctpNode::abort`].
    Closed,
    /// Closed by an error or by the peer's ABORT.
    Aborted { kind: ErrorKind, reason: String },
    /// A non-fatal error (bad packet, peer's ERROR chunk...); the association lives on.
    Error { kind: ErrorKind, reason: String },
    /// A stream's send buffer fell to its low threshold.
    BufferedAmountLow(u16),
    /// The whole send buffer fell to its low threshold.
    TotalBufferedAmountLow,
    /// Our outgoing streams were reset.
    StreamsResetPerformed(Vec<u16>),
    /// The peer refused to reset our outgoing streams.
    StreamsResetFailed(Vec<u16>),
    /// The peer reset its outgoing streams (empty: all of them).
    IncomingStreamReset(Vec<u16>),
    /// A message sent with a lifecycle id was fully handed to the network.
    MessageFullySent(u64),
    /// A message with a lifecycle id was cumulatively acknowledged.
    MessageDelivered(u64),
    /// A message with a lifecycle id was abandoned (PR-SCTP) before being fully sent.
    MessageExpired(u64),
    /// A message with a lifecycle id was abandoned after being sent; it may have arrived.
    MessageMaybeExpired(u64),
    /// dcsctp stopped tracking a message with a lifecycle id.
    MessageEnd(u64),
}

/// A received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub stream: u16,
    pub ppid: u32,
    pub payload: Vec<u8>,
}

/// How one message is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendOptions {
    pub unordered: bool,
    /// PR-SCTP timed reliability: abandon the message once this has elapsed.
    pub lifetime: Option<Duration>,
    /// PR-SCTP limited retransmissions: abandon after this many retransmissions.
    pub max_retransmissions: Option<u16>,
    /// Non-zero: report this message's fate as `Message*` events.
    pub lifecycle_id: Option<u64>,
}

/// Why dcsctp refused to queue a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    EmptyPayload,
    MessageTooLarge {
        len: usize,
        limit: usize,
    },
    /// The send queue is full.
    ResourceExhaustion,
    /// The association is shutting down or closed.
    ShuttingDown,
}

impl From<dcsctp::api::SendError> for SendError {
    fn from(e: dcsctp::api::SendError) -> Self {
        use dcsctp::api::SendError as E;
        match e {
            E::EmptyPayload => SendError::EmptyPayload,
            E::MessageTooLarge { len, limit } => SendError::MessageTooLarge { len, limit },
            E::ResourceExhaustion => SendError::ResourceExhaustion,
            E::ShuttingDown => SendError::ShuttingDown,
        }
    }
}

/// Why a stream reset could not be requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetError {
    NotConnected,
    /// The peer did not offer RE-CONFIG.
    NotSupported,
}

/// Counters kept by the adapter (dcsctp's own are in [`DcsctpNode::metrics`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub datagrams_in: u64,
    pub bytes_in: u64,
    pub datagrams_out: u64,
    pub bytes_out: u64,
    /// Datagrams not addressed to this node's local address, ignored.
    pub misrouted: u64,
}

/// One dcsctp socket as a simulator node.
pub struct DcsctpNode {
    socket: Box<dyn DcSctpSocket>,
    local: Addr,
    peer: Addr,
    rng: fastrand::Rng,
    transmit: VecDeque<Vec<u8>>,
    messages: VecDeque<Message>,
    events: Vec<Event>,
    events_polled: usize,
    stats: Stats,
}

impl DcsctpNode {
    pub fn new(local: Addr, peer: Addr, config: &Config) -> Self {
        Self::with_options(local, peer, &config.name, config.seed, &config.options())
    }

    /// A node with full control of dcsctp's options.
    pub fn with_options(local: Addr, peer: Addr, name: &str, seed: u64, options: &Options) -> Self {
        DcsctpNode {
            socket: dcsctp::new_socket(name, options),
            local,
            peer,
            rng: fastrand::Rng::with_seed(seed),
            transmit: VecDeque::new(),
            messages: VecDeque::new(),
            events: Vec::new(),
            events_polled: 0,
            stats: Stats::default(),
        }
    }

    pub fn local_addr(&self) -> Addr {
        self.local
    }

    pub fn peer_addr(&self) -> Addr {
        self.peer
    }

    /// Starts the handshake (sends INIT). The passive side never calls this.
    pub fn connect(&mut self) {
        self.call(|s| s.connect());
    }

    /// Queues one ordered or unordered, fully reliable message.
    pub fn send(
        &mut self,
        stream: u16,
        ppid: u32,
        data: &[u8],
        unordered: bool,
    ) -> Result<(), SendError> {
        self.send_with(
            stream,
            ppid,
            data,
            &SendOptions {
                unordered,
                ..SendOptions::default()
            },
        )
    }

    /// Queues a PR-SCTP message abandoned after `lifetime`.
    pub fn send_with_lifetime(
        &mut self,
        stream: u16,
        ppid: u32,
        data: &[u8],
        unordered: bool,
        lifetime: Duration,
    ) -> Result<(), SendError> {
        let options = SendOptions {
            unordered,
            lifetime: Some(lifetime),
            ..SendOptions::default()
        };
        self.send_with(stream, ppid, data, &options)
    }

    /// Queues a PR-SCTP message abandoned after `max_retransmissions` retransmissions.
    pub fn send_with_max_retransmissions(
        &mut self,
        stream: u16,
        ppid: u32,
        data: &[u8],
        unordered: bool,
        max_retransmissions: u16,
    ) -> Result<(), SendError> {
        let options = SendOptions {
            unordered,
            max_retransmissions: Some(max_retransmissions),
            ..SendOptions::default()
        };
        self.send_with(stream, ppid, data, &options)
    }

    pub fn send_with(
        &mut self,
        stream: u16,
        ppid: u32,
        data: &[u8],
        options: &SendOptions,
    ) -> Result<(), SendError> {
        let message = dcsctp::api::Message::new(StreamId(stream), PpId(ppid), data.to_vec());
        let options = DcSendOptions {
            unordered: options.unordered,
            lifetime: options.lifetime,
            max_retransmissions: options.max_retransmissions,
            lifecycle_id: options.lifecycle_id.and_then(LifecycleId::new),
        };
        self.call(|s| s.send(message, &options))
            .map_err(SendError::from)
    }

    /// The next received message, in delivery order.
    pub fn pop_message(&mut self) -> Option<Message> {
        self.messages.pop_front()
    }

    /// Takes every received message, in delivery order.
    pub fn received(&mut self) -> Vec<Message> {
        self.messages.drain(..).collect()
    }

    /// Received messages not yet taken.
    pub fn messages_ready(&self) -> usize {
        self.messages.len()
    }

    /// Graceful shutdown: queued data is delivered first, then [`Event::Closed`].
    pub fn shutdown(&mut self) {
        self.call(|s| s.shutdown());
    }

    /// Sends ABORT and closes at once ([`Event::Closed`] here, [`Event::Aborted`] at the peer).
    pub fn abort(&mut self) {
        self.call(|s| s.close());
    }

    /// Resets our outgoing `streams` (RFC 6525); the outcome comes as an event.
    pub fn reset_streams(&mut self, streams: &[u16]) -> Result<(), ResetError> {
        let ids: Vec<StreamId> = streams.iter().map(|&s| StreamId(s)).collect();
        self.call(|s| s.reset_streams(&ids)).map_err(|e| match e {
            dcsctp::api::ResetStreamsError::NotConnected => ResetError::NotConnected,
            dcsctp::api::ResetStreamsError::NotSupported => ResetError::NotSupported,
        })
    }

    pub fn state(&self) -> State {
        match self.socket.state() {
            SocketState::Closed => State::Closed,
            SocketState::Connecting => State::Connecting,
            SocketState::Connected => State::Connected,
            SocketState::ShuttingDown => State::ShuttingDown,
        }
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The next event not yet polled.
    pub fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.get(self.events_polled).cloned()?;
        self.events_polled += 1;
        Some(event)
    }

    /// Bytes queued but not yet sent on `stream`.
    pub fn buffered_amount(&self, stream: u16) -> usize {
        self.socket.buffered_amount(StreamId(stream))
    }

    pub fn set_buffered_amount_low_threshold(&mut self, stream: u16, bytes: usize) {
        self.call(|s| s.set_buffered_amount_low_threshold(StreamId(stream), bytes));
    }

    /// dcsctp's metrics (cwnd, srtt, retransmissions, negotiated I-DATA and zero checksum...);
    /// `None` unless connected.
    pub fn metrics(&self) -> Option<dcsctp::api::Metrics> {
        self.socket.get_metrics()
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The socket itself, for what this adapter does not wrap. Call [`Self::collect`] after
    /// anything that may produce packets, events or messages.
    pub fn socket_mut(&mut self) -> &mut dyn DcSctpSocket {
        &mut *self.socket
    }

    /// Moves packets, events and messages out of the socket into the node.
    pub fn collect(&mut self) {
        while let Some(event) = self.socket.poll_event() {
            let event = match event {
                SocketEvent::SendPacket(bytes) => {
                    self.transmit.push_back(bytes);
                    continue;
                }
                SocketEvent::OnConnected() => Event::Connected,
                SocketEvent::OnClosed() => Event::Closed,
                SocketEvent::OnConnectionRestarted() => Event::ConnectionRestarted,
                SocketEvent::OnAborted(kind, reason) => Event::Aborted {
                    kind: kind.into(),
                    reason,
                },
                SocketEvent::OnError(kind, reason) => Event::Error {
                    kind: kind.into(),
                    reason,
                },
                SocketEvent::OnBufferedAmountLow(s) => Event::BufferedAmountLow(s.0),
                SocketEvent::OnTotalBufferedAmountLow() => Event::TotalBufferedAmountLow,
                SocketEvent::OnStreamsResetFailed(s) => Event::StreamsResetFailed(ids(&s)),
                SocketEvent::OnStreamsResetPerformed(s) => Event::StreamsResetPerformed(ids(&s)),
                SocketEvent::OnIncomingStreamReset(s) => Event::IncomingStreamReset(ids(&s)),
                SocketEvent::OnLifecycleMessageFullySent(id) => Event::MessageFullySent(id.value()),
                SocketEvent::OnLifecycleMessageMaybeExpired(id) => {
                    Event::MessageMaybeExpired(id.value())
                }
                SocketEvent::OnLifecycleMessageExpired(id) => Event::MessageExpired(id.value()),
                SocketEvent::OnLifecycleMessageDelivered(id) => Event::MessageDelivered(id.value()),
                SocketEvent::OnLifecycleEnd(id) => Event::MessageEnd(id.value()),
            };
            self.events.push(event);
        }
        while let Some(m) = self.socket.get_next_message() {
            self.messages.push_back(Message {
                stream: m.stream_id.0,
                ppid: m.ppid.0,
                payload: m.payload,
            });
        }
    }

    /// Runs `f` on the socket with the global `fastrand` generator reseeded from this node's
    /// own, then collects what it produced.
    fn call<R>(&mut self, f: impl FnOnce(&mut dyn DcSctpSocket) -> R) -> R {
        fastrand::seed(self.rng.u64(..));
        let result = f(&mut *self.socket);
        self.collect();
        result
    }

    fn advance(&mut self, now: Instant) {
        let now = to_socket_time(now);
        self.call(|s| s.advance_time(now));
    }
}

impl Node for DcsctpNode {
    fn handle_datagram(&mut self, now: Instant, datagram: Datagram) {
        if datagram.dst != self.local {
            self.stats.misrouted += 1;
            return;
        }
        self.stats.datagrams_in += 1;
        self.stats.bytes_in += datagram.bytes.len() as u64;
        let now = to_socket_time(now);
        self.call(|s| {
            s.advance_time(now);
            s.handle_input(&datagram.bytes);
        });
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
    }

    /// Also brings the socket's clock to `now`, firing any timer due by then.
    fn poll_transmit(&mut self, now: Instant) -> Option<Datagram> {
        self.advance(now);
        let bytes = self.transmit.pop_front()?;
        self.stats.datagrams_out += 1;
        self.stats.bytes_out += bytes.len() as u64;
        Some(Datagram {
            src: self.local,
            dst: self.peer,
            ecn: 0,
            bytes,
        })
    }

    fn poll_timeout(&self) -> Option<Instant> {
        from_socket_time(self.socket.poll_timeout())
    }
}

fn ids(streams: &[StreamId]) -> Vec<u16> {
    streams.iter().map(|s| s.0).collect()
}

/// Our instants and dcsctp's socket times share the origin [`Instant::ZERO`].
pub fn to_socket_time(now: Instant) -> SocketTime {
    SocketTime::zero() + Duration::from_micros(now.as_micros())
}

/// `None` for "no timer". Rounds up to the next microsecond so that a deadline handed back to
/// the socket has really expired (rounding down would make a simulator spin on it).
pub fn from_socket_time(t: SocketTime) -> Option<Instant> {
    if t == SocketTime::infinite_future() {
        return None;
    }
    let nanos = (t - SocketTime::zero()).as_nanos();
    let micros = nanos.div_ceil(1000);
    Some(Instant::from_micros(
        u64::try_from(micros).unwrap_or(u64::MAX),
    ))
}

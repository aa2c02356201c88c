//! BSD socket semantics of RFC 6458 over the endpoint, in safe Rust and without threads.
//!
//! A [`Group`] is one endpoint (one local SCTP port) with the sockets that share it: the socket
//! bound to the port, the sockets `accept` and `peeloff` made from it. The stack keeps each group
//! under one lock. Every operation here returns at once: where a BSD socket would block, the
//! operation fails with `EWOULDBLOCK` and the stack waits for the group to change and retries.
//! After every operation the stack calls [`Group::process`], which moves what the endpoint
//! produced (events, received messages, packets) to the sockets and out.

pub mod notification;
pub mod options;
pub mod reconfig_notification;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::assoc::event::LossReason;
use crate::assoc::{Event, SendError, SendOptions, State, Transmit};
use crate::endpoint::{AssocId, ConnectError, Endpoint};
use crate::rx::reassembly::ReceivedMessage;
use crate::tx::PrPolicy;
use crate::types::{Instant, NetAddr, RandomSource};
use notification::{Features, NotificationContext};
pub use options::{DefaultSend, SocketOptions};

/// Identifies a socket of the stack (the C API's `struct socket *`).
pub type SocketId = u64;

/// An `errno` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub i32);

pub type Result<T> = core::result::Result<T, Errno>;

/// One-to-one (SOCK_STREAM) or one-to-many (SOCK_SEQPACKET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    OneToOne,
    OneToMany,
}

/// The address family of a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Inet,
    Inet6,
    Conn,
}

/// Where a one-to-one socket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Created, maybe bound.
    Idle,
    Listening,
    /// Owns association `AssocId` (being set up, established or shutting down).
    Associated(AssocId),
    /// Its association ended.
    Disconnected,
}

/// What `recvv` returns, front of the receive queue first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Data(DataDelivery),
    Notification { assoc: AssocId, bytes: Vec<u8> },
}

impl Delivery {
    fn len(&self) -> usize {
        match self {
            Delivery::Data(d) => d.payload.len(),
            Delivery::Notification { bytes, .. } => bytes.len(),
        }
    }
}

/// A received message (or piece of one), with what `sctp_rcvinfo` reports about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDelivery {
    pub assoc: AssocId,
    pub from: NetAddr,
    pub peer_port: u16,
    pub stream: u16,
    pub ssn: u16,
    pub unordered: bool,
    /// Host order of the wire value.
    pub ppid: u32,
    pub tsn: u32,
    pub context: u32,
    pub payload: Vec<u8>,
    /// The last piece of the message (MSG_EOR).
    pub complete: bool,
}

/// What one `recv` copied out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub len: usize,
    /// The message ends with this read.
    pub eor: bool,
    /// Data: the metadata of the message read; `None` for a notification.
    pub data: Option<DataInfo>,
    /// The message after this one, for SCTP_RECVNXTINFO.
    pub next: Option<NextInfo>,
}

/// The metadata of received data (everything of [`DataDelivery`] except the payload).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataInfo {
    pub assoc: AssocId,
    pub from: NetAddr,
    pub peer_port: u16,
    pub stream: u16,
    pub ssn: u16,
    pub unordered: bool,
    pub ppid: u32,
    pub tsn: u32,
    pub context: u32,
}

/// What SCTP_RECVNXTINFO tells about the next message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextInfo {
    pub assoc: AssocId,
    pub stream: u16,
    pub unordered: bool,
    pub notification: bool,
    pub complete: bool,
    pub ppid: u32,
    pub length: usize,
}

/// How `sendv` sends a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SendInfo {
    pub stream: u16,
    pub ppid: u32,
    pub context: u32,
    pub unordered: bool,
    /// SCTP_EOF: shut the association down after this message.
    pub eof: bool,
    /// SCTP_ABORT: abort the association; the data is the reason.
    pub abort: bool,
    /// SCTP_EOR (with SCTP_EXPLICIT_EOR): this call ends the message.
    pub eor: bool,
    /// SCTP_SENDALL: to every association of a one-to-many socket.
    pub send_all: bool,
    /// SCTP_SACK_IMMEDIATELY: the last fragment carries the I bit (RFC 7053).
    pub sack_immediately: bool,
    pub pr: PrPolicy,
    /// The association of a one-to-many socket (0: chosen by address).
    pub assoc: AssocId,
}

/// Readiness of a socket, as `usrsctp_get_events` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Readiness {
    pub read: bool,
    pub write: bool,
    pub error: bool,
}

/// One socket of a group.
#[derive(Debug)]
pub struct Socket {
    pub family: Family,
    pub style: Style,
    pub options: SocketOptions,
    /// The address given to `bind` (with its SCTP port), for `getladdrs`.
    pub local_addr: Option<NetAddr>,
    role: Role,
    bound: bool,
    rx: VecDeque<Delivery>,
    /// Bytes of `rx[0]` already read.
    rx_offset: usize,
    rx_bytes: usize,
    accept_queue: VecDeque<AssocId>,
    /// A pending error (SO_ERROR), reported by the next call that can fail.
    error: Option<i32>,
    /// No more data will arrive (the peer shut down or the association ended).
    read_closed: bool,
    /// A one-to-one socket's association ended: receive callbacks get a last call without data.
    pub eof_pending_callback: bool,
    /// Something changed that an upcall or a waiting thread should see.
    pub changed: bool,
    /// The socket was closed by the application; it stays until its association is gone.
    closed: bool,
    /// The association whose message is partly in `rx` (its last piece has not come): with
    /// SCTP_FRAGMENT_INTERLEAVE 0 no other association's data goes in before that piece.
    partial_from: Option<AssocId>,
}

impl Socket {
    fn new(family: Family, style: Style, options: SocketOptions) -> Self {
        Socket {
            family,
            style,
            options,
            local_addr: None,
            role: Role::Idle,
            bound: false,
            rx: VecDeque::new(),
            rx_offset: 0,
            rx_bytes: 0,
            accept_queue: VecDeque::new(),
            error: None,
            read_closed: false,
            eof_pending_callback: false,
            changed: false,
            closed: false,
            partial_from: None,
        }
    }

    fn push(&mut self, d: Delivery) {
        self.rx_bytes += d.len();
        self.rx.push_back(d);
        self.changed = true;
    }

    /// True when `recv` would return something (data, a notification or end of file).
    pub fn has_input(&self) -> bool {
        !self.rx.is_empty()
    }

    pub fn is_listening(&self) -> bool {
        self.role == Role::Listening
    }

    /// The association of a one-to-one socket.
    pub fn association(&self) -> Option<AssocId> {
        match self.role {
            Role::Associated(id) => Some(id),
            _ => None,
        }
    }
}

/// Who an association belongs to.
#[derive(Debug)]
struct Owner {
    socket: SocketId,
    /// False while it waits in a listening socket's accept queue.
    accepted: bool,
    /// What arrived before `accept`.
    pending: VecDeque<Delivery>,
    /// Reached COMM_UP (a loss before it is a failed start).
    established: bool,
    /// The causes of a peer's ABORT during the handshake, for CANT_STR_ASSOC.
    abort_causes: Option<Vec<u8>>,
    /// Notifications and data are all out; the association can be forgotten once closed.
    ended: bool,
}

/// An endpoint and the sockets sharing its port.
pub struct Group {
    endpoint: Option<Endpoint>,
    sockets: BTreeMap<SocketId, Socket>,
    owners: HashMap<AssocId, Owner>,
    /// Associations holding received messages that did not fit their socket's buffer: pulled
    /// again after every operation (reading makes room).
    blocked: BTreeSet<AssocId>,
}

impl core::fmt::Debug for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Group")
            .field("port", &self.local_port())
            .field("sockets", &self.sockets.len())
            .field("associations", &self.owners.len())
            .finish()
    }
}

const EWOULDBLOCK: Errno = Errno(libc::EWOULDBLOCK);
const EINVAL: Errno = Errno(libc::EINVAL);
const ENOTCONN: Errno = Errno(libc::ENOTCONN);
const EBADF: Errno = Errno(libc::EBADF);
const ENOENT: Errno = Errno(libc::ENOENT);

impl Group {
    /// A group holding one new socket, not bound yet.
    pub fn new(id: SocketId, family: Family, style: Style, options: SocketOptions) -> Self {
        let mut sockets = BTreeMap::new();
        sockets.insert(id, Socket::new(family, style, options));
        Group {
            endpoint: None,
            sockets,
            owners: HashMap::new(),
            blocked: BTreeSet::new(),
        }
    }

    /// The local port, once bound.
    pub fn local_port(&self) -> Option<u16> {
        self.endpoint.as_ref().map(|e| e.local_port())
    }

    pub fn socket(&self, id: SocketId) -> Option<&Socket> {
        self.sockets.get(&id).filter(|s| !s.closed)
    }

    pub fn socket_mut(&mut self, id: SocketId) -> Option<&mut Socket> {
        self.sockets.get_mut(&id).filter(|s| !s.closed)
    }

    fn sock(&mut self, id: SocketId) -> Result<&mut Socket> {
        self.socket_mut(id).ok_or(EBADF)
    }

    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    pub fn endpoint_mut(&mut self) -> Option<&mut Endpoint> {
        self.endpoint.as_mut()
    }

    /// Ids of the open sockets.
    pub fn socket_ids(&self) -> impl Iterator<Item = SocketId> + '_ {
        self.sockets
            .iter()
            .filter(|(_, s)| !s.closed)
            .map(|(id, _)| *id)
    }

    /// Nothing left: no open socket and no association.
    pub fn is_empty(&self) -> bool {
        self.sockets.is_empty() && self.owners.is_empty()
    }

    /// Gives the group its port; the stack checked that the port is free.
    pub fn bind(
        &mut self,
        id: SocketId,
        port: u16,
        now: Instant,
        random: Box<dyn RandomSource + Send>,
    ) -> Result<()> {
        let sock = self.sock(id)?;
        if sock.bound {
            return Err(EINVAL);
        }
        sock.bound = true;
        let config = crate::endpoint::EndpointConfig {
            association: sock.options.association.clone(),
            ..crate::stack::config::endpoint_config()
        };
        self.endpoint = Some(Endpoint::new(config, port, now, random));
        Ok(())
    }

    pub fn is_bound(&self, id: SocketId) -> bool {
        self.socket(id).is_some_and(|s| s.bound)
    }

    pub fn listen(&mut self, id: SocketId, on: bool) -> Result<()> {
        let sock = self.sock(id)?;
        if !sock.bound {
            return Err(Errno(libc::EDESTADDRREQ));
        }
        match (sock.style, sock.role) {
            (Style::OneToOne, Role::Associated(_) | Role::Disconnected) => return Err(EINVAL),
            (Style::OneToOne, _) => sock.role = if on { Role::Listening } else { Role::Idle },
            (Style::OneToMany, _) => {}
        }
        let config = sock.options.association.clone();
        if let Some(e) = self.endpoint.as_mut() {
            e.config_mut().association = config;
            e.listen(on);
        }
        Ok(())
    }

    /// Starts an association to `peer_port` at `addrs` (the first is the primary path).
    pub fn connect(
        &mut self,
        id: SocketId,
        now: Instant,
        remote: NetAddr,
        peer_port: u16,
    ) -> Result<AssocId> {
        let sock = self.sock(id)?;
        match (sock.style, sock.role) {
            (Style::OneToOne, Role::Listening) => return Err(Errno(libc::EOPNOTSUPP)),
            (Style::OneToOne, Role::Associated(a)) => {
                let in_progress = self
                    .endpoint
                    .as_ref()
                    .and_then(|e| e.association(a))
                    .is_some_and(|a| matches!(a.state(), State::CookieWait | State::CookieEchoed));
                return Err(Errno(if in_progress {
                    libc::EALREADY
                } else {
                    libc::EADDRINUSE
                }));
            }
            (Style::OneToOne, Role::Disconnected) => return Err(Errno(libc::EADDRINUSE)),
            _ => {}
        }
        if peer_port == 0 {
            return Err(EINVAL);
        }
        let config = sock.options.association.clone();
        let style = sock.style;
        let endpoint = self.endpoint.as_mut().ok_or(EINVAL)?;
        endpoint.config_mut().association = config;
        let assoc = endpoint
            .connect(now, remote, peer_port)
            .map_err(|e| match e {
                ConnectError::AlreadyConnected => Errno(libc::EALREADY),
                ConnectError::TooManyAssociations => Errno(libc::ENOBUFS),
            })?;
        self.owners.insert(assoc, Owner::new(id, true));
        if style == Style::OneToOne {
            let sock = self.sock(id)?;
            sock.role = Role::Associated(assoc);
            sock.error = None;
            sock.read_closed = false;
        }
        Ok(assoc)
    }

    /// The state of association `assoc`.
    pub fn association_state(&self, assoc: AssocId) -> Option<State> {
        self.endpoint
            .as_ref()?
            .association(assoc)
            .map(|a| a.state())
    }

    /// The association of a socket: its own for one-to-one, `assoc` for one-to-many.
    pub fn association_of(&self, id: SocketId, assoc: AssocId) -> Option<AssocId> {
        let sock = self.socket(id)?;
        match sock.style {
            Style::OneToOne => sock.association(),
            Style::OneToMany => self
                .owners
                .get(&assoc)
                .filter(|o| o.socket == id && !o.ended)
                .map(|_| assoc),
        }
    }

    /// Associations a one-to-many socket owns, or the one of a one-to-one socket.
    pub fn associations_of(&self, id: SocketId) -> Vec<AssocId> {
        let mut ids: Vec<AssocId> = self
            .owners
            .iter()
            .filter(|(_, o)| o.socket == id && o.accepted && !o.ended)
            .map(|(a, _)| *a)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The association of a one-to-many socket with the peer at `addr`/`port`.
    pub fn find_association(&self, id: SocketId, addr: NetAddr, port: u16) -> Option<AssocId> {
        let endpoint = self.endpoint.as_ref()?;
        self.associations_of(id).into_iter().find(|a| {
            endpoint.association(*a).is_some_and(|a| {
                !a.is_closed() && a.peer_port() == port && a.paths().find(addr).is_some()
            })
        })
    }

    /// A pending error, taken (SO_ERROR).
    pub fn take_error(&mut self, id: SocketId) -> Option<i32> {
        self.socket_mut(id).and_then(|s| s.error.take())
    }

    /// The outcome of a connect in progress on a one-to-one socket: `Ok(true)` established,
    /// `Ok(false)` still going, `Err` failed.
    pub fn connect_status(&mut self, id: SocketId) -> Result<bool> {
        let sock = self.sock(id)?;
        if let Some(e) = sock.error.take() {
            return Err(Errno(e));
        }
        match sock.role {
            Role::Associated(a) => Ok(self
                .association_state(a)
                .is_some_and(|s| !matches!(s, State::CookieWait | State::CookieEchoed))),
            Role::Disconnected => Err(Errno(libc::ECONNREFUSED)),
            _ => Err(ENOTCONN),
        }
    }

    // ---- send and receive -----------------------------------------------------------------------

    /// Queues a message on one association (or all, with `send_all`). `to` picks or creates the
    /// association of a one-to-many socket.
    pub fn send(
        &mut self,
        id: SocketId,
        now: Instant,
        to: Option<(NetAddr, u16)>,
        info: &SendInfo,
        data: &[u8],
    ) -> Result<usize> {
        let sock = self.sock(id)?;
        if let Some(e) = sock.error.take() {
            return Err(Errno(e));
        }
        let style = sock.style;
        let targets = match style {
            Style::OneToOne => match sock.role {
                Role::Associated(a) => vec![a],
                Role::Idle => match to {
                    // An implicit connect (RFC 6458 §3.1.5 allows it on one-to-one sockets).
                    Some((addr, port)) => vec![self.connect(id, now, addr, port)?],
                    None => return Err(ENOENT),
                },
                Role::Disconnected => return Err(ENOENT),
                Role::Listening => return Err(ENOTCONN),
            },
            Style::OneToMany if info.send_all => self.associations_of(id),
            Style::OneToMany => {
                let by_id = (info.assoc != 0)
                    .then(|| self.association_of(id, info.assoc))
                    .flatten();
                match (by_id, to) {
                    (Some(a), _) => vec![a],
                    (None, _) if info.assoc != 0 => return Err(ENOENT),
                    (None, Some((addr, port))) => match self.find_association(id, addr, port) {
                        Some(a) => vec![a],
                        None if info.abort || info.eof => return Err(ENOENT),
                        None => vec![self.connect(id, now, addr, port)?],
                    },
                    (None, None) => return Err(ENOENT),
                }
            }
        };
        let sock = self.sock(id)?;
        let explicit_eor = sock.options.explicit_eor;
        let sndbuf = sock.options.association.send_buffer as usize;
        let endpoint = self.endpoint.as_mut().ok_or(ENOTCONN)?;
        let mut sent = 0;
        let mut last_error = None;
        for a in targets {
            let Some(assoc) = endpoint.association_mut(a) else {
                last_error = Some(ENOTCONN);
                continue;
            };
            if info.abort {
                assoc.abort(data);
                sent = data.len();
                continue;
            }
            if !data.is_empty() {
                if data.len() > sndbuf && !explicit_eor {
                    return Err(Errno(libc::EMSGSIZE));
                }
                let options = SendOptions {
                    stream: info.stream,
                    ppid: info.ppid,
                    unordered: info.unordered,
                    pr: info.pr,
                    more_to_come: explicit_eor && !info.eor && !info.eof,
                    sack_immediately: info.sack_immediately,
                    context: info.context,
                };
                match assoc.send(now, &options, data) {
                    Ok(()) => sent = data.len(),
                    Err(SendError::BufferFull) if !info.send_all => return Err(EWOULDBLOCK),
                    Err(SendError::BufferFull) => last_error = Some(EWOULDBLOCK),
                    Err(SendError::InvalidStream) => return Err(EINVAL),
                    Err(SendError::EmptyMessage) => {}
                    Err(SendError::NotConnected) => {
                        // Shutting down: ECONNRESET; gone: no such association.
                        last_error = Some(if assoc.is_closed() {
                            ENOENT
                        } else {
                            Errno(libc::ECONNRESET)
                        })
                    }
                }
            } else if !info.eof {
                return Err(EINVAL);
            }
            if info.eof {
                assoc.shutdown(now);
            }
        }
        match last_error {
            Some(e) if sent == 0 => Err(e),
            _ => Ok(sent),
        }
    }

    /// Copies the front of the receive queue into `buf`.
    pub fn recv(&mut self, id: SocketId, buf: &mut [u8]) -> Result<Option<Received>> {
        let sock = self.sock(id)?;
        let Some(front) = sock.rx.front() else {
            if let Some(e) = sock.error.take() {
                return Err(Errno(e));
            }
            return match (sock.style, sock.role) {
                (_, _) if sock.read_closed => Ok(None),
                (Style::OneToOne, Role::Idle | Role::Listening) => Err(ENOTCONN),
                (Style::OneToOne, Role::Disconnected) => Ok(None),
                _ => Err(EWOULDBLOCK),
            };
        };
        let (bytes, complete, data) = match front {
            Delivery::Data(d) => (&d.payload, d.complete, Some(d.info())),
            Delivery::Notification { bytes, .. } => (bytes, true, None),
        };
        let rest = &bytes[sock.rx_offset..];
        let len = rest.len().min(buf.len());
        buf[..len].copy_from_slice(&rest[..len]);
        let finished = len == rest.len();
        let eor = finished && complete;
        if finished {
            let front_len = bytes.len();
            sock.rx.pop_front();
            sock.rx_bytes -= front_len;
            sock.rx_offset = 0;
        } else {
            sock.rx_offset += len;
        }
        let next = sock.rx.get(usize::from(!finished)).map(NextInfo::of);
        Ok(Some(Received {
            len,
            eor,
            data,
            next,
        }))
    }

    /// Takes the whole receive queue (for sockets with a receive callback).
    pub fn take_deliveries(&mut self, id: SocketId) -> VecDeque<Delivery> {
        let Some(sock) = self.socket_mut(id) else {
            return VecDeque::new();
        };
        sock.rx_bytes = 0;
        sock.rx_offset = 0;
        std::mem::take(&mut sock.rx)
    }

    pub fn readiness(&self, id: SocketId) -> Readiness {
        let Some(sock) = self.socket(id) else {
            return Readiness::default();
        };
        let endpoint = self.endpoint.as_ref();
        let writable = |a: AssocId| {
            endpoint
                .and_then(|e| e.association(a))
                .is_some_and(|a| a.state().accepts_user_data() && a.send_buffer_available() > 0)
        };
        let write = match sock.style {
            Style::OneToOne => match sock.role {
                Role::Associated(a) => {
                    writable(a)
                        && !matches!(
                            self.association_state(a),
                            Some(State::CookieWait | State::CookieEchoed)
                        )
                }
                Role::Disconnected => true,
                _ => false,
            },
            Style::OneToMany => {
                let ids = self.associations_of(id);
                ids.is_empty() || ids.into_iter().any(writable)
            }
        };
        Readiness {
            read: !sock.rx.is_empty()
                || !sock.accept_queue.is_empty()
                || (sock.read_closed && sock.style == Style::OneToOne),
            write,
            error: sock.error.is_some(),
        }
    }

    /// Free room in the send buffer of a socket's association(s): the smallest.
    pub fn send_space(&self, id: SocketId) -> usize {
        let Some(endpoint) = self.endpoint.as_ref() else {
            return 0;
        };
        self.associations_of(id)
            .into_iter()
            .filter_map(|a| endpoint.association(a))
            .map(|a| a.send_buffer_available())
            .min()
            .unwrap_or(0)
    }

    /// Bytes queued and in flight on the socket's associations.
    pub fn buffered_amount(&self, id: SocketId) -> usize {
        let Some(endpoint) = self.endpoint.as_ref() else {
            return 0;
        };
        self.associations_of(id)
            .into_iter()
            .filter_map(|a| endpoint.association(a))
            .map(|a| a.buffered_amount())
            .sum()
    }

    // ---- accept, peeloff, shutdown, close -------------------------------------------------------

    /// Takes the next association from a listening socket's queue into new socket `new_id`.
    pub fn accept(&mut self, id: SocketId, new_id: SocketId) -> Result<AssocId> {
        let sock = self.sock(id)?;
        if sock.style != Style::OneToOne || sock.role != Role::Listening {
            return Err(EINVAL);
        }
        let assoc = sock.accept_queue.pop_front().ok_or(EWOULDBLOCK)?;
        let (family, options) = (sock.family, sock.options.clone());
        self.adopt(assoc, new_id, family, options);
        Ok(assoc)
    }

    /// Moves association `assoc` of a one-to-many socket to new one-to-one socket `new_id`.
    pub fn peeloff(&mut self, id: SocketId, assoc: AssocId, new_id: SocketId) -> Result<()> {
        let sock = self.sock(id)?;
        if sock.style != Style::OneToMany {
            return Err(Errno(libc::EOPNOTSUPP));
        }
        let (family, options) = (sock.family, sock.options.clone());
        if self.association_of(id, assoc).is_none() {
            return Err(ENOENT);
        }
        self.adopt(assoc, new_id, family, options);
        Ok(())
    }

    fn adopt(&mut self, assoc: AssocId, new_id: SocketId, family: Family, opts: SocketOptions) {
        let local_addr = self
            .sockets
            .values()
            .find(|s| s.bound && s.local_addr.is_some())
            .and_then(|s| s.local_addr);
        let mut sock = Socket::new(family, Style::OneToOne, opts);
        sock.bound = true;
        sock.local_addr = local_addr;
        sock.role = Role::Associated(assoc);
        if let Some(owner) = self.owners.get_mut(&assoc) {
            owner.socket = new_id;
            owner.accepted = true;
            for d in owner.pending.drain(..) {
                sock.push(d);
            }
            if owner.ended {
                sock.role = Role::Disconnected;
                sock.read_closed = true;
            }
        }
        self.sockets.insert(new_id, sock);
    }

    /// Graceful shutdown of the socket's association(s) (SHUT_WR / SHUT_RDWR); SHUT_RD only
    /// stops reception.
    pub fn shutdown(&mut self, id: SocketId, now: Instant, read: bool, write: bool) -> Result<()> {
        let sock = self.sock(id)?;
        if sock.style == Style::OneToMany {
            return Err(Errno(libc::EOPNOTSUPP));
        }
        if !matches!(sock.role, Role::Associated(_)) {
            return Err(ENOTCONN);
        }
        if read {
            sock.read_closed = true;
            sock.changed = true;
        }
        if write {
            let ids = self.associations_of(id);
            if let Some(e) = self.endpoint.as_mut() {
                for a in ids {
                    if let Some(assoc) = e.association_mut(a) {
                        assoc.shutdown(now);
                    }
                }
            }
        }
        Ok(())
    }

    /// Aborts association `assoc` of socket `id`.
    pub fn abort(&mut self, assoc: AssocId, reason: &[u8]) {
        if let Some(a) = self
            .endpoint
            .as_mut()
            .and_then(|e| e.association_mut(assoc))
        {
            a.abort(reason);
        }
    }

    /// Closes a socket: its associations shut down (or abort with SO_LINGER 0); accepted
    /// sockets of a listener live on, associations waiting for `accept` are aborted.
    pub fn close(&mut self, id: SocketId, now: Instant) -> Result<()> {
        let sock = self.sock(id)?;
        let abort = sock.options.linger == Some(0);
        let listener = sock.role == Role::Listening;
        let style = sock.style;
        sock.closed = true;
        let mine: Vec<AssocId> = self
            .owners
            .iter()
            .filter(|(_, o)| o.socket == id)
            .map(|(a, _)| *a)
            .collect();
        if let Some(e) = self.endpoint.as_mut() {
            if listener || style == Style::OneToMany {
                e.listen(false);
            }
            for a in &mine {
                let waiting = self.owners.get(a).is_some_and(|o| !o.accepted);
                if let Some(assoc) = e.association_mut(*a) {
                    if abort || waiting {
                        assoc.abort(&[]);
                    } else {
                        assoc.shutdown(now);
                    }
                }
            }
        }
        self.sockets.remove(&id);
        Ok(())
    }

    // ---- the engine's output -------------------------------------------------------------------

    /// Feeds a datagram from `from` to the endpoint; `ecn`: the ECN bits it arrived with.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        from: NetAddr,
        bytes: &[u8],
        ecn: crate::types::Ecn,
    ) {
        if let Some(e) = self.endpoint.as_mut() {
            e.handle_datagram_ecn(now, from, bytes, ecn);
        }
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(e) = self.endpoint.as_mut() {
            e.handle_timeout(now);
        }
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.endpoint.as_ref().and_then(|e| e.poll_timeout())
    }

    /// Moves new associations, events and received messages to the sockets, and the packets to
    /// send into `out`.
    pub fn process(&mut self, now: Instant, out: &mut Vec<Transmit>) {
        let Some(endpoint) = self.endpoint.as_mut() else {
            return;
        };
        while let Some(assoc) = endpoint.poll_accept() {
            let listener = self
                .sockets
                .iter()
                .find(|(_, s)| {
                    !s.closed
                        && (s.role == Role::Listening || (s.style == Style::OneToMany && s.bound))
                })
                .map(|(id, s)| (*id, s.style));
            match listener {
                Some((sid, style)) => {
                    let accepted = style == Style::OneToMany;
                    self.owners.insert(assoc, Owner::new(sid, accepted));
                    if !accepted {
                        if let Some(s) = self.sockets.get_mut(&sid) {
                            s.accept_queue.push_back(assoc);
                            s.changed = true;
                        }
                    }
                }
                None => {
                    tracing::debug!(target: "usrsctp::socket", assoc, "no listener: aborted");
                    if let Some(a) = endpoint.association_mut(assoc) {
                        a.abort(&[]);
                    }
                }
            }
        }
        let blocked = &mut self.blocked;
        while let Some((assoc, event)) = endpoint.poll_event() {
            tracing::debug!(target: "usrsctp::socket", assoc, event = ?event, "association event");
            // An AUTH key event comes from the AUTH chunk in front of the data it authenticated:
            // libusrsctp queues it before that data.
            if !matches!(event, Event::Authentication { .. }) {
                Self::pull_data(
                    endpoint,
                    &mut self.sockets,
                    &mut self.owners,
                    blocked,
                    assoc,
                );
            }
            Self::deliver_event(endpoint, &mut self.sockets, &mut self.owners, assoc, event);
        }
        // Only associations touched since the last round can have news (and those whose
        // messages waited for room in their socket).
        let mut news: Vec<AssocId> = endpoint.touched().collect();
        news.extend(std::mem::take(blocked));
        news.sort_unstable();
        news.dedup();
        for &assoc in &news {
            Self::pull_data(
                endpoint,
                &mut self.sockets,
                &mut self.owners,
                blocked,
                assoc,
            );
        }
        while let Some(t) = endpoint.poll_transmit(now) {
            out.push(t);
        }
        // Forget associations that are closed and fully reported.
        let done: Vec<AssocId> = news
            .iter()
            .filter_map(|a| self.owners.get(a).map(|o| (a, o)))
            .filter(|(a, o)| {
                // Messages it received still wait for room in the socket: not yet.
                endpoint
                    .association(**a)
                    .is_none_or(|x| x.is_closed() && !x.has_messages())
                    && (o.ended || !self.sockets.contains_key(&o.socket))
            })
            .map(|(a, _)| *a)
            .collect();
        for a in done {
            let owner = self.owners.remove(&a);
            endpoint.remove(a);
            if let Some(o) = owner {
                if let Some(s) = self.sockets.get_mut(&o.socket) {
                    s.accept_queue.retain(|x| *x != a);
                }
            }
        }
        // Associations of closed sockets that never had an owner entry.
        let orphans: Vec<AssocId> = news
            .iter()
            .copied()
            .filter(|a| !self.owners.contains_key(a))
            .collect();
        for a in orphans {
            if endpoint.association(a).is_some_and(|x| x.is_closed()) {
                endpoint.remove(a);
            }
        }
        endpoint.settle();
    }

    /// Moves received messages of `assoc` into its socket while the socket has room.
    fn pull_data(
        endpoint: &mut Endpoint,
        sockets: &mut BTreeMap<SocketId, Socket>,
        owners: &mut HashMap<AssocId, Owner>,
        blocked: &mut BTreeSet<AssocId>,
        assoc: AssocId,
    ) {
        let Some(owner) = owners.get_mut(&assoc) else {
            return;
        };
        if !endpoint
            .association(assoc)
            .is_some_and(|a| a.has_messages())
        {
            return;
        }
        // SCTP_FRAGMENT_INTERLEAVE 0: another association's message is being delivered in
        // pieces; this one waits for its end (RFC 6458 §8.1.20).
        if let Some(sock) = sockets.get(&owner.socket) {
            if let Some(other) = sock.partial_from.filter(|&x| x != assoc) {
                let other_live = endpoint.association(other).is_some_and(|a| !a.is_closed());
                if sock.options.fragment_interleave == 0 && owner.accepted && other_live {
                    blocked.insert(assoc);
                    return;
                }
            }
        }
        // Taking messages may open the window: the association counts as touched.
        let Some(a) = endpoint.association_mut(assoc) else {
            return;
        };
        let peer_port = a.peer_port();
        let from = a.primary_address();
        let sock = sockets.get_mut(&owner.socket);
        let limit = sock
            .as_ref()
            .map_or(0, |s| s.options.association.receive_buffer as usize);
        let context = sock.as_ref().map_or(0, |s| s.options.context_for(assoc));
        let Some(sock) = sock else {
            // Closed socket: nobody will read; drop what arrives.
            while a.recv().is_some() {}
            return;
        };
        loop {
            let held = if owner.accepted {
                sock.rx_bytes
            } else {
                owner.pending.iter().map(Delivery::len).sum()
            };
            if held >= limit.max(1) {
                blocked.insert(assoc);
                break;
            }
            let Some(m) = a.recv() else { break };
            let d = Delivery::Data(DataDelivery::of(assoc, from, peer_port, context, m));
            if owner.accepted {
                sock.partial_from = match &d {
                    Delivery::Data(x) if !x.complete => Some(assoc),
                    _ => None,
                };
                sock.push(d);
            } else {
                owner.pending.push_back(d);
            }
        }
    }

    fn deliver_event(
        endpoint: &mut Endpoint,
        sockets: &mut BTreeMap<SocketId, Socket>,
        owners: &mut HashMap<AssocId, Owner>,
        assoc: AssocId,
        event: Event,
    ) {
        let Some(owner) = owners.get_mut(&assoc) else {
            return;
        };
        let a = endpoint.association(assoc);
        let (outbound, inbound) = a.map_or((0, 0), |a| a.streams());
        let features = a.map_or(Features::default(), |a| Features::from(a.capabilities()));
        let peer_port = a.map_or(0, |a| a.peer_port());
        let sock = sockets.get_mut(&owner.socket);
        let mut abort_chunk = None;
        match &event {
            Event::Connected { .. } | Event::Restarted { .. } => owner.established = true,
            Event::Lost(LossReason::PeerAborted { causes }) if !owner.established => {
                // Reported as CANT_STR_ASSOC with the ABORT chunk, which follows.
                owner.abort_causes = Some(causes.clone());
                return;
            }
            Event::Lost(_) if !owner.established => return,
            Event::CannotStart => abort_chunk = owner.abort_causes.take().map(abort_chunk_of),
            _ => {}
        }
        let ending = matches!(
            event,
            Event::Lost(_) | Event::CannotStart | Event::ShutdownComplete
        );
        let Some(sock) = sock else {
            if ending {
                owner.ended = true;
            }
            return;
        };
        if sock
            .options
            .subscribed_for(assoc, notification::event_type(&event))
        {
            let ctx = NotificationContext {
                features,
                outbound_streams: outbound,
                inbound_streams: inbound,
                abort_chunk: abort_chunk.as_deref(),
                peer_port,
                map_ipv4_to_ipv6: sock.family == Family::Inet6 && sock.options.mapped_v4,
                send_context: match &event {
                    Event::SendFailed(m) => m.context,
                    _ => 0,
                },
                ..NotificationContext::default()
            };
            if let Some(bytes) = notification::encode(&event, assoc, &ctx) {
                let d = Delivery::Notification { assoc, bytes };
                if owner.accepted {
                    sock.push(d);
                } else {
                    owner.pending.push_back(d);
                }
            }
            if matches!(event, Event::Connected { .. } | Event::Restarted { .. })
                && !features.auth
                && sock
                    .options
                    .subscribed_for(assoc, notification::SCTP_AUTHENTICATION_EVENT)
            {
                let d = Delivery::Notification {
                    assoc,
                    bytes: notification::encode_no_peer_auth(assoc),
                };
                if owner.accepted {
                    sock.push(d);
                } else {
                    owner.pending.push_back(d);
                }
            }
        }
        sock.changed = true;
        if !owner.accepted {
            if ending {
                owner.ended = true;
            }
            return;
        }
        match event {
            Event::PeerShutdown if sock.style == Style::OneToOne => sock.read_closed = true,
            Event::Lost(reason) if sock.style == Style::OneToOne => {
                sock.error = Some(match reason {
                    LossReason::PeerAborted { .. } => libc::ECONNRESET,
                    LossReason::RetransmissionsExceeded | LossReason::ShutdownGuardExpired => {
                        libc::ETIMEDOUT
                    }
                    LossReason::HandshakeFailed => libc::ECONNREFUSED,
                    LossReason::LocalAbort => libc::ECONNABORTED,
                });
            }
            Event::CannotStart if sock.style == Style::OneToOne => {
                sock.error = Some(if abort_chunk.is_some() {
                    libc::ECONNREFUSED
                } else {
                    libc::ETIMEDOUT
                });
            }
            _ => {}
        }
        if ending {
            owner.ended = true;
            if sock.style == Style::OneToOne {
                sock.role = Role::Disconnected;
                sock.read_closed = true;
                sock.eof_pending_callback = true;
            }
        }
    }
}

impl Owner {
    fn new(socket: SocketId, accepted: bool) -> Self {
        Owner {
            socket,
            accepted,
            pending: VecDeque::new(),
            established: false,
            abort_causes: None,
            ended: false,
        }
    }
}

/// An ABORT chunk (T bit clear) holding `causes`, as CANT_STR_ASSOC quotes it.
fn abort_chunk_of(causes: Vec<u8>) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(4 + causes.len());
    chunk.push(6);
    chunk.push(0);
    chunk.extend_from_slice(&((4 + causes.len()) as u16).to_be_bytes());
    chunk.extend_from_slice(&causes);
    chunk
}

impl DataDelivery {
    fn of(assoc: AssocId, from: NetAddr, peer_port: u16, context: u32, m: ReceivedMessage) -> Self {
        DataDelivery {
            assoc,
            from,
            peer_port,
            stream: m.stream_id.0,
            ssn: m.ssn_or_mid as u16,
            unordered: m.unordered,
            ppid: m.ppid.0,
            tsn: m.tsn.0,
            context,
            payload: m.payload,
            complete: m.complete,
        }
    }

    pub fn info(&self) -> DataInfo {
        DataInfo {
            assoc: self.assoc,
            from: self.from,
            peer_port: self.peer_port,
            stream: self.stream,
            ssn: self.ssn,
            unordered: self.unordered,
            ppid: self.ppid,
            tsn: self.tsn,
            context: self.context,
        }
    }
}

impl NextInfo {
    fn of(d: &Delivery) -> Self {
        match d {
            Delivery::Data(d) => NextInfo {
                assoc: d.assoc,
                stream: d.stream,
                unordered: d.unordered,
                notification: false,
                complete: d.complete,
                ppid: d.ppid,
                length: d.payload.len(),
            },
            Delivery::Notification { assoc, bytes } => NextInfo {
                assoc: *assoc,
                stream: 0,
                unordered: false,
                notification: true,
                complete: true,
                ppid: 0,
                length: bytes.len(),
            },
        }
    }
}

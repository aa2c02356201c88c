//! The per-socket settings that socket options read and write, and the association ids that
//! say which settings an option means (RFC 6458 §7.2).
//!
//! A socket keeps the settings its associations start with: the engine's in
//! [`SocketOptions::association`], the socket layer's (notifications, context, default send
//! parameters) in the fields beside it. Each association then has its own copy: the engine's in
//! the association, the socket layer's here, in a table by association id. An option names
//! the settings it changes with an association id, turned into a [`Scope`]:
//! - SCTP_FUTURE_ASSOC: the socket's settings for associations set up later;
//! - SCTP_CURRENT_ASSOC: every association the socket has now;
//! - SCTP_ALL_ASSOC: both;
//! - any other id: that association of a one-to-many socket (ENOENT if it has none).
//!
//! A one-to-one socket ignores the id: an option means its association once it has one,
//! before that the socket's settings.

use std::collections::BTreeMap;

use super::{Errno, Style};
use crate::assoc::Config;
use crate::endpoint::AssocId;

/// SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC.
pub const FUTURE_ASSOC: AssocId = 0;
pub const CURRENT_ASSOC: AssocId = 1;
pub const ALL_ASSOC: AssocId = 2;

/// SCTP_DEFAULT_SNDINFO / SCTP_DEFAULT_PRINFO: what a send without `sctp_sndinfo` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DefaultSend {
    pub stream: u16,
    /// SCTP_UNORDERED and the other `snd_flags`.
    pub flags: u16,
    /// As the application gave it (network order of the wire value).
    pub ppid_raw: u32,
    pub context: u32,
    /// `pr_policy` and `pr_value` of SCTP_DEFAULT_PRINFO.
    pub pr_policy: u16,
    pub pr_value: u32,
}

/// The settings the socket layer keeps for each association.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssocOptions {
    /// Notification types (SCTP_EVENT) switched on: bit `n` for `sn_type` n.
    pub events: u32,
    /// SCTP_CONTEXT: reported as `rcv_context` of received data.
    pub context: u32,
    pub default_send: DefaultSend,
    /// SPP_PMTUD_ENABLE of SCTP_PEER_ADDR_PARAMS (reported; no discovery runs).
    pub pmtud: bool,
    /// `spp_pathmtu` given with SPP_PMTUD_DISABLE (0: none).
    pub path_mtu: u32,
}

/// Where one setting lives: the socket's settings for new associations, or an association's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Future,
    Assoc(AssocId),
}

/// What the association id of an option names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One association.
    Assoc(AssocId),
    /// The socket's settings for associations set up later.
    Future,
    /// Every association of a one-to-many socket.
    Current,
    /// The settings for later associations and every current one.
    All,
}

impl Scope {
    /// The scope of association id `id` on a socket of `style`. `own` is the association of a
    /// one-to-one socket; `owned(a)` tells whether a one-to-many socket has association `a`.
    pub fn of(
        style: Style,
        own: Option<AssocId>,
        id: AssocId,
        owned: impl Fn(AssocId) -> bool,
    ) -> Result<Scope, Errno> {
        match style {
            Style::OneToOne => Ok(own.map_or(Scope::Future, Scope::Assoc)),
            Style::OneToMany => match id {
                FUTURE_ASSOC => Ok(Scope::Future),
                CURRENT_ASSOC => Ok(Scope::Current),
                ALL_ASSOC => Ok(Scope::All),
                a if owned(a) => Ok(Scope::Assoc(a)),
                _ => Err(Errno(libc::ENOENT)),
            },
        }
    }

    /// The one place a read means: SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC name many (EINVAL).
    pub fn single(self) -> Result<Target, Errno> {
        match self {
            Scope::Assoc(a) => Ok(Target::Assoc(a)),
            Scope::Future => Ok(Target::Future),
            Scope::Current | Scope::All => Err(Errno(libc::EINVAL)),
        }
    }

    /// The places a change goes to, with `current` the socket's associations.
    pub fn targets(self, current: &[AssocId]) -> Vec<Target> {
        let future = matches!(self, Scope::Future | Scope::All).then_some(Target::Future);
        let each = match self {
            Scope::Assoc(a) => vec![a],
            Scope::Current | Scope::All => current.to_vec(),
            Scope::Future => Vec::new(),
        };
        future
            .into_iter()
            .chain(each.into_iter().map(Target::Assoc))
            .collect()
    }
}

/// Settings of one socket. New associations start from `association` and from `events`,
/// `context`, `default_send`, `pmtud` and `path_mtu`.
#[derive(Debug, Clone)]
pub struct SocketOptions {
    pub association: Config,
    pub non_blocking: bool,
    /// SO_LINGER: `Some(seconds)` when on.
    pub linger: Option<u32>,
    /// Notification types (SCTP_EVENT) switched on: bit `n` for `sn_type` n.
    pub events: u32,
    pub recv_rcvinfo: bool,
    pub recv_nxtinfo: bool,
    pub explicit_eor: bool,
    pub default_send: DefaultSend,
    /// SCTP_CONTEXT: reported as `rcv_context` of received data.
    pub context: u32,
    /// SPP_PMTUD_ENABLE and the `spp_pathmtu` of SCTP_PEER_ADDR_PARAMS.
    pub pmtud: bool,
    pub path_mtu: u32,
    pub fragment_interleave: u32,
    pub mapped_v4: bool,
    pub reuse_port: bool,
    pub disable_fragments: bool,
    /// SCTP_MAXSEG (0: the path MTU decides).
    pub maxseg: u32,
    /// SCTP_REMOTE_UDP_ENCAPS_PORT for new associations (host order; 0: none).
    pub remote_udp_port: u16,
    /// SCTP_AUTOCLOSE in seconds (0: off).
    pub autoclose: u32,
    /// SCTP_AUTO_ASCONF (sctp_auto_asconf).
    pub auto_asconf: bool,
    /// The settings of the socket's associations that differ from the ones above, or were
    /// pinned when those changed.
    per_assoc: BTreeMap<AssocId, AssocOptions>,
}

impl SocketOptions {
    /// The settings a new socket starts with: the sysctl defaults.
    pub fn from_sysctls() -> Self {
        let mut association = crate::stack::config::association_config();
        // libusrsctp starts the partial delivery point at half the receive buffer.
        association.partial_delivery_point = association.receive_buffer / 2;
        SocketOptions {
            association,
            non_blocking: false,
            linger: None,
            events: 0,
            recv_rcvinfo: false,
            recv_nxtinfo: false,
            explicit_eor: false,
            default_send: DefaultSend::default(),
            context: 0,
            pmtud: true,
            path_mtu: 0,
            fragment_interleave: 1,
            mapped_v4: false,
            reuse_port: false,
            disable_fragments: false,
            maxseg: 0,
            remote_udp_port: 0,
            autoclose: 0,
            auto_asconf: crate::stack::sysctl::Setting::sctp_auto_asconf.get() != 0,
            per_assoc: BTreeMap::new(),
        }
    }

    /// True when notifications of type `sn_type` are switched on for new associations.
    pub fn subscribed(&self, sn_type: u16) -> bool {
        is_on(self.events, sn_type)
    }

    /// True when notifications of type `sn_type` are switched on for association `assoc`.
    pub fn subscribed_for(&self, assoc: AssocId, sn_type: u16) -> bool {
        is_on(self.assoc_options(Target::Assoc(assoc)).events, sn_type)
    }

    /// SCTP_CONTEXT of association `assoc`.
    pub fn context_for(&self, assoc: AssocId) -> u32 {
        self.assoc_options(Target::Assoc(assoc)).context
    }

    /// SCTP_DEFAULT_SNDINFO and SCTP_DEFAULT_PRINFO of association `assoc`.
    pub fn default_send_for(&self, assoc: AssocId) -> DefaultSend {
        self.assoc_options(Target::Assoc(assoc)).default_send
    }

    /// The socket layer's settings at `target`.
    pub fn assoc_options(&self, target: Target) -> AssocOptions {
        match target {
            Target::Assoc(a) => self
                .per_assoc
                .get(&a)
                .copied()
                .unwrap_or_else(|| self.future()),
            Target::Future => self.future(),
        }
    }

    /// Changes the socket layer's settings at `target`.
    pub fn update_assoc_options<R>(
        &mut self,
        target: Target,
        f: impl FnOnce(&mut AssocOptions) -> R,
    ) -> R {
        match target {
            Target::Assoc(a) => {
                let future = self.future();
                f(self.per_assoc.entry(a).or_insert(future))
            }
            Target::Future => {
                let mut o = self.future();
                let r = f(&mut o);
                self.events = o.events;
                self.context = o.context;
                self.default_send = o.default_send;
                self.pmtud = o.pmtud;
                self.path_mtu = o.path_mtu;
                r
            }
        }
    }

    /// Brings the table of associations up to date with `live`, the socket's associations
    /// now: those without an entry keep the settings they started with (the current ones for
    /// new associations), entries of associations that ended go. Call before a change of the
    /// settings for new associations.
    pub fn track_associations(&mut self, live: &[AssocId]) {
        self.per_assoc.retain(|a, _| live.contains(a));
        let future = self.future();
        for a in live {
            self.per_assoc.entry(*a).or_insert(future);
        }
    }

    fn future(&self) -> AssocOptions {
        AssocOptions {
            events: self.events,
            context: self.context,
            default_send: self.default_send,
            pmtud: self.pmtud,
            path_mtu: self.path_mtu,
        }
    }
}

impl AssocOptions {
    /// Switches notifications of type `sn_type` on or off.
    pub fn subscribe(&mut self, sn_type: u16, on: bool) {
        if sn_type < 32 {
            if on {
                self.events |= 1 << sn_type;
            } else {
                self.events &= !(1 << sn_type);
            }
        }
    }

    pub fn subscribed(&self, sn_type: u16) -> bool {
        is_on(self.events, sn_type)
    }
}

fn is_on(events: u32, sn_type: u16) -> bool {
    sn_type < 32 && events & (1 << sn_type) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_to_many(id: AssocId) -> Result<Scope, Errno> {
        Scope::of(Style::OneToMany, None, id, |a| a == 7 || a == 8)
    }

    #[test]
    fn association_ids_of_a_one_to_many_socket() {
        assert_eq!(one_to_many(FUTURE_ASSOC), Ok(Scope::Future));
        assert_eq!(one_to_many(CURRENT_ASSOC), Ok(Scope::Current));
        assert_eq!(one_to_many(ALL_ASSOC), Ok(Scope::All));
        assert_eq!(one_to_many(7), Ok(Scope::Assoc(7)));
        assert_eq!(one_to_many(9), Err(Errno(libc::ENOENT)));
        assert_eq!(Scope::Current.single(), Err(Errno(libc::EINVAL)));
        assert_eq!(
            Scope::All.targets(&[7, 8]),
            [Target::Future, Target::Assoc(7), Target::Assoc(8)]
        );
        assert_eq!(Scope::Current.targets(&[7]), [Target::Assoc(7)]);
        assert_eq!(Scope::Future.targets(&[7]), [Target::Future]);
    }

    #[test]
    fn a_one_to_one_socket_ignores_the_id() {
        assert_eq!(
            Scope::of(Style::OneToOne, None, 12345, |_| false),
            Ok(Scope::Future)
        );
        assert_eq!(
            Scope::of(Style::OneToOne, Some(4), CURRENT_ASSOC, |_| false),
            Ok(Scope::Assoc(4))
        );
    }

    #[test]
    fn associations_keep_their_settings_when_the_future_ones_change() {
        let mut o = SocketOptions::from_sysctls();
        o.context = 5;
        o.track_associations(&[3, 4]);
        o.update_assoc_options(Target::Future, |a| a.context = 6);
        o.update_assoc_options(Target::Assoc(4), |a| a.subscribe(10, true));
        assert_eq!(o.context_for(3), 5);
        assert_eq!(o.context_for(4), 5);
        assert_eq!(
            o.context_for(5),
            6,
            "a new association starts from the future settings"
        );
        assert!(o.subscribed_for(4, 10) && !o.subscribed_for(3, 10) && !o.subscribed(10));
        o.track_associations(&[4]);
        assert_eq!(
            o.context_for(3),
            6,
            "association 3 ended: its entry is gone"
        );
    }
}

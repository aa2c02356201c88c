//! The library logs with `tracing`. This module forwards those records to the `debug_printf`
//! the application gave `usrsctp_init`, while the `sctp_debug_on` sysctl is non-zero, one line
//! per record: `target: message key=value ...`.

use std::fmt::Write as _;
use std::sync::Arc;

use parking_lot::RwLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

use super::sysctl::Setting;

/// Where log lines go.
pub type Sink = Arc<dyn Fn(&str) + Send + Sync>;

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Sends the library's log to `sink` (`None`: nowhere). Installs the bridge as the process's
/// `tracing` subscriber unless the process has one already.
pub fn set_sink(sink: Option<Sink>) {
    *SINK.write() = sink;
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = tracing::subscriber::set_global_default(Bridge);
    });
}

fn active() -> bool {
    Setting::sctp_debug_on.get() != 0 && SINK.read().is_some()
}

/// The `tracing` subscriber that writes to the sink.
struct Bridge;

impl Subscriber for Bridge {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        // Decided at every event: the sysctl can change at any time.
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_event() && active()
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some(sink) = SINK.read().clone() else {
            return;
        };
        let mut line = Line(String::with_capacity(96));
        let _ = write!(line.0, "{}:", event.metadata().target());
        event.record(&mut line);
        line.0.push('\n');
        sink(&line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parking_lot::Mutex;

    #[test]
    fn records_reach_the_sink_only_while_debug_is_on() {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen = lines.clone();
        set_sink(Some(Arc::new(move |l: &str| {
            seen.lock().push(l.to_string())
        })));
        let before = Setting::sctp_debug_on.get();
        Setting::sctp_debug_on.set(0).unwrap();
        tracing::debug!(target: "usrsctp::test", "quiet");
        Setting::sctp_debug_on.set(1).unwrap();
        tracing::debug!(target: "usrsctp::test", assoc = 3, "loud");
        Setting::sctp_debug_on.set(before).unwrap();
        set_sink(None);
        let got: Vec<String> = lines
            .lock()
            .iter()
            .filter(|l| l.starts_with("usrsctp::test"))
            .cloned()
            .collect();
        assert_eq!(got, vec!["usrsctp::test: loud assoc=3\n".to_string()]);
    }
}

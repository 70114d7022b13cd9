//! Logs as hclog JSON lines on stderr, the format go-plugin forwards into Terraform's log.

use std::io::Write;

use serde_json::{Map, Value as Json};
use time::OffsetDateTime;
use time::macros::format_description;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, filter_fn};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Level from `TF_LOG_PROVIDER`, else `TF_LOG`; `json` means trace; unset, empty or `off`
/// (or anything unrecognised) means no logs.
pub fn level_from_env(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> LevelFilter {
    let setting = tf_log_provider
        .filter(|value| !value.trim().is_empty())
        .or(tf_log)
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match setting.as_str() {
        "trace" | "json" => LevelFilter::TRACE,
        "debug" => LevelFilter::DEBUG,
        "info" => LevelFilter::INFO,
        "warn" => LevelFilter::WARN,
        "error" => LevelFilter::ERROR,
        _ => LevelFilter::OFF,
    }
}

/// Events of the SDK and of the crates in `own_crates` (the provider and its client, named by
/// [`crate::ServeOptions::log_crates`]) pass at the configured level; other dependencies (h2,
/// hyper, tonic, rustls) only from WARN up, because their debug and trace output is per-frame
/// noise in Terraform's log.
pub fn is_logged(
    level: LevelFilter,
    event_level: &Level,
    target: &str,
    own_crates: &[&str],
) -> bool {
    let own = std::iter::once(env!("CARGO_CRATE_NAME"))
        .chain(own_crates.iter().copied())
        .any(|name| is_in_crate(target, name));
    level >= *event_level && (own || *event_level <= Level::WARN)
}

/// Whether a tracing target (a module path) lies in the crate `name`.
fn is_in_crate(target: &str, name: &str) -> bool {
    target
        .strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// Installs the hclog layer as the global subscriber at the level the environment asks for,
/// for the SDK's events and those of `own_crates`. Does nothing if a subscriber is already
/// installed (e.g. by tests).
pub fn init_from_env(own_crates: &'static [&'static str]) {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let _already_installed = tracing_subscriber::registry()
        .with(
            // The hint lets tracing skip disabled events at their call site (with logging off,
            // every `debug!` costs one comparison), instead of asking the filter each time.
            HclogLayer::new(std::io::stderr).with_filter(
                filter_fn(move |metadata| {
                    is_logged(level, metadata.level(), metadata.target(), own_crates)
                })
                .with_max_level_hint(level),
            ),
        )
        .try_init();
}

/// A tracing layer writing one hclog JSON object per event to the writer `make_writer` returns.
pub struct HclogLayer<W> {
    make_writer: W,
}

impl<W, O> HclogLayer<W>
where
    W: Fn() -> O + Send + Sync + 'static,
    O: Write,
{
    /// A layer writing to what `make_writer` returns for each event (stderr when serving).
    pub fn new(make_writer: W) -> HclogLayer<W> {
        HclogLayer { make_writer }
    }
}

/// `@timestamp` in Go's `2006-01-02T15:04:05.000000Z07:00`: exactly six fractional digits.
pub fn hclog_timestamp(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(format)
        .unwrap_or_default()
}

fn hclog_level(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// Renders an event as an hclog JSON line (with trailing newline).
pub fn render_event(event: &Event<'_>, at: OffsetDateTime) -> String {
    let mut fields = FieldCollector::default();
    event.record(&mut fields);
    let mut line = Map::new();
    line.insert(
        "@level".into(),
        hclog_level(event.metadata().level()).into(),
    );
    line.insert("@message".into(), fields.message.unwrap_or_default().into());
    line.insert("@timestamp".into(), hclog_timestamp(at).into());
    line.insert("@module".into(), "provider".into());
    for (key, value) in fields.fields {
        if !key.starts_with('@') {
            line.insert(key, value);
        }
    }
    let mut text = Json::Object(line).to_string();
    text.push('\n');
    text
}

impl<S, W, O> Layer<S> for HclogLayer<W>
where
    S: Subscriber,
    W: Fn() -> O + Send + Sync + 'static,
    O: Write,
{
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        let line = render_event(event, OffsetDateTime::now_utc());
        // Terraform may have closed stderr already (EPIPE); logging must never fail the caller.
        let _ignored = (self.make_writer)().write_all(line.as_bytes());
    }
}

#[derive(Default)]
struct FieldCollector {
    message: Option<String>,
    fields: Vec<(String, Json)>,
}

impl FieldCollector {
    fn record(&mut self, field: &Field, value: Json) {
        if field.name() == "message" {
            self.message = Some(match value {
                Json::String(text) => text,
                other => other.to_string(),
            });
        } else {
            self.fields.push((field.name().to_owned(), value));
        }
    }
}

impl Visit for FieldCollector {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record(field, Json::String(format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, Json::String(value.to_owned()));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record(field, Json::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.record(field, Json::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.record(field, Json::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.record(field, Json::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn level_selection() {
        assert_eq!(level_from_env(None, None), LevelFilter::OFF);
        assert_eq!(level_from_env(None, Some("off")), LevelFilter::OFF);
        assert_eq!(level_from_env(None, Some("JSON")), LevelFilter::TRACE);
        assert_eq!(
            level_from_env(Some("warn"), Some("trace")),
            LevelFilter::WARN
        );
        assert_eq!(level_from_env(Some(""), Some("debug")), LevelFilter::DEBUG);
        assert_eq!(level_from_env(None, Some("info")), LevelFilter::INFO);
        assert_eq!(level_from_env(None, Some("error")), LevelFilter::ERROR);
    }

    #[test]
    fn dependency_noise_is_filtered() {
        let sdk = concat!(env!("CARGO_CRATE_NAME"), "::server");
        let provider = &["my_provider", "my_client"];
        assert!(is_logged(LevelFilter::DEBUG, &Level::DEBUG, sdk, &[]));
        assert!(!is_logged(LevelFilter::DEBUG, &Level::TRACE, sdk, &[]));
        assert!(is_logged(
            LevelFilter::DEBUG,
            &Level::DEBUG,
            "my_provider::kv",
            provider
        ));
        assert!(is_logged(
            LevelFilter::DEBUG,
            &Level::DEBUG,
            "my_client",
            provider
        ));
        assert!(!is_logged(
            LevelFilter::DEBUG,
            &Level::DEBUG,
            "my_provider_x",
            provider
        ));
        assert!(!is_logged(
            LevelFilter::DEBUG,
            &Level::DEBUG,
            "my_provider::kv",
            &[]
        ));
        assert!(!is_logged(
            LevelFilter::TRACE,
            &Level::DEBUG,
            "h2::codec",
            provider
        ));
        assert!(is_logged(
            LevelFilter::TRACE,
            &Level::WARN,
            "h2::codec",
            provider
        ));
        assert!(!is_logged(LevelFilter::OFF, &Level::ERROR, sdk, provider));
    }

    #[test]
    fn timestamps_have_six_fractional_digits() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_777_629_600_123_456_789).unwrap();
        assert_eq!(hclog_timestamp(at), "2026-05-01T10:00:00.123456Z");
        let whole = OffsetDateTime::from_unix_timestamp(1_777_629_600).unwrap();
        assert_eq!(hclog_timestamp(whole), "2026-05-01T10:00:00.000000Z");
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_become_hclog_json_lines() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::registry()
            .with(HclogLayer::new(move || writer.clone()).with_filter(LevelFilter::DEBUG));
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(rpc = "PlanResourceChange", duration_ms = 3u64, "rpc done");
            tracing::trace!("filtered out");
        });
        let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 1, "{output}");
        let line: Json = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(line["@level"], "debug");
        assert_eq!(line["@message"], "rpc done");
        assert_eq!(line["@module"], "provider");
        assert_eq!(line["rpc"], "PlanResourceChange");
        assert_eq!(line["duration_ms"], 3);
        assert_eq!(line["@timestamp"].as_str().map(str::len), Some(27));
    }

    #[test]
    fn write_errors_are_ignored() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
        }
        let subscriber = tracing_subscriber::registry().with(HclogLayer::new(|| Broken));
        tracing::subscriber::with_default(subscriber, || tracing::error!("still fine"));
    }
}

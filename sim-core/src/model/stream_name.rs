//! The names of random streams, built from typed parts so that two different things never share a stream.
//!
//! A stream is keyed by its name ([`RngStreams::named`]): common random numbers need every component to
//! draw from a stream of its own whatever else the scenario contains. Names used to be formatted by hand
//! (`"human/{who}"`), so a resource called `human/oncall` drew the same numbers as the person `oncall`.
//! Here every user-given part is escaped (`%` → `%25`, `/` → `%2F`), and a resource whose name is one of
//! the reserved first words (`disaster`, `human`, `ledger`, `notice`, `runbook`) is prefixed with `%`: the
//! encoding is injective. Names that contain neither character nor a reserved word are spelt exactly as
//! before, so no existing draw changed.

use crate::engine::rng::{RngStreams, Stream};

/// First words of the streams that do not belong to a resource.
const RESERVED: [&str; 5] = ["disaster", "human", "ledger", "notice", "runbook"];

/// A stream's name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamName(String);

/// `part` with `%` and `/` escaped.
fn escape(part: &str) -> String {
    part.replace('%', "%25").replace('/', "%2F")
}

impl StreamName {
    /// A resource's own stream (its random timing: launches, verdicts, deploys).
    pub fn resource(name: &str) -> Self {
        let escaped = escape(name);
        if RESERVED.contains(&escaped.as_str()) {
            StreamName(format!("%{escaped}"))
        } else {
            StreamName(escaped)
        }
    }

    /// One of a resource's internal streams: `resource/part/part…` (a replica's lag, a backup job).
    pub fn of_resource(name: &str, parts: &[&str]) -> Self {
        let mut s = StreamName::resource(name).0;
        for part in parts {
            s.push('/');
            s.push_str(&escape(part));
        }
        StreamName(s)
    }

    /// A disaster's onset and duration.
    pub fn disaster(name: &str) -> Self {
        StreamName(format!("disaster/{}", escape(name)))
    }

    /// A person's response times (the same person in every runbook).
    pub fn human(who: &str) -> Self {
        StreamName(format!("human/{}", escape(who)))
    }

    /// When an operator notices an outage that triggers a runbook.
    pub fn notice(runbook: &str) -> Self {
        StreamName(format!("notice/{}", escape(runbook)))
    }

    /// A runbook's `Wait` states.
    pub fn runbook(runbook: &str) -> Self {
        StreamName(format!("runbook/{}", escape(runbook)))
    }

    /// A runbook's `Run` step doing `what`.
    pub fn runbook_step(runbook: &str, what: &str) -> Self {
        StreamName(format!("runbook/{}/{}", escape(runbook), escape(what)))
    }

    /// A store's settlement draws (how many writes each piece of its ledger holds).
    pub fn ledger(store: &str) -> Self {
        StreamName(format!("ledger/{}", escape(store)))
    }

    /// The name as the streams key it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This stream of `streams`.
    pub fn stream(&self, streams: &RngStreams) -> Stream {
        streams.named(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_spelt_as_before() {
        assert_eq!(StreamName::resource("web-asg").as_str(), "web-asg");
        assert_eq!(
            StreamName::of_resource("db", &["replica in us-west-2a", "lag"]).as_str(),
            "db/replica in us-west-2a/lag"
        );
        assert_eq!(StreamName::human("oncall").as_str(), "human/oncall");
        assert_eq!(
            StreamName::runbook_step("failover", "verify").as_str(),
            "runbook/failover/verify"
        );
        assert_eq!(StreamName::disaster("east").as_str(), "disaster/east");
        assert_eq!(StreamName::ledger("db").as_str(), "ledger/db");
    }

    #[test]
    fn no_resource_shares_a_stream_with_a_person_a_disaster_or_a_runbook() {
        let names = [
            StreamName::resource("human/oncall"),
            StreamName::human("oncall"),
            StreamName::of_resource("human", &["restore"]),
            StreamName::human("restore"),
            StreamName::of_resource("runbook", &["b", "lag"]),
            StreamName::runbook_step("b", "lag"),
            StreamName::resource("disaster"),
            StreamName::resource("%disaster"),
            StreamName::disaster("x"),
            StreamName::resource("disaster/x"),
            StreamName::runbook_step("a/b", "c"),
            StreamName::runbook_step("a", "b/c"),
        ];
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let streams = RngStreams::new(1, 0);
        let draw = |n: &StreamName| {
            use rand::Rng;
            n.stream(&streams).next_u64()
        };
        assert_ne!(draw(&names[0]), draw(&names[1]));
    }
}

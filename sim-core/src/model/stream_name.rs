//! The names of random streams, built from typed parts so that two different things never share a stream.
//!
//! A stream is keyed by its name ([`RngStreams::named`]): common random numbers need every component to
//! draw from a stream of its own whatever else the scenario contains. Names used to be formatted by hand
//! (`"human/{who}"`), so a resource called `human/oncall` drew the same numbers as the person `oncall`.
//! Here every user-given part is escaped (`%` → `%25`, `/` → `%2F`), and a resource whose name is one of
//! the reserved first words (`disaster`, `human`, `ledger`, `notice`, `runbook`) is prefixed with `%`: the
//! encoding is injective. Names that contain neither character nor a reserved word are spelt exactly as
//! before, so no existing draw changed.

use crate::engine::rng::{RngStreams, Stream, StreamId};

/// First words of the streams that do not belong to a resource.
const RESERVED: [&str; 5] = ["disaster", "human", "ledger", "notice", "runbook"];

/// A stream's name, kept as the id its spelling hashes to: the escaped parts are hashed as they are read
/// ([`StreamId::named`] is byte-sequential FNV-1a), so naming a stream allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamName(StreamId);

/// FNV-1a over the bytes of a name being spelt, exactly as [`StreamId::named`] hashes a whole string.
struct Spelling(u64);

impl Spelling {
    fn new() -> Self {
        Spelling(0xcbf2_9ce4_8422_2325)
    }

    fn raw(mut self, text: &str) -> Self {
        for &b in text.as_bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// A user-given part, with `%` and `/` escaped.
    fn part(mut self, text: &str) -> Self {
        for piece in text.split_inclusive(['%', '/']) {
            let (body, special) = match piece.as_bytes().last() {
                Some(b'%') => (&piece[..piece.len() - 1], "%25"),
                Some(b'/') => (&piece[..piece.len() - 1], "%2F"),
                _ => (piece, ""),
            };
            self = self.raw(body).raw(special);
        }
        self
    }

    fn done(self) -> StreamName {
        StreamName(StreamId(self.0))
    }
}

impl StreamName {
    /// A resource's own stream (its random timing: launches, verdicts, deploys).
    pub fn resource(name: &str) -> Self {
        Self::owner(name).done()
    }

    fn owner(name: &str) -> Spelling {
        let s = Spelling::new();
        // A reserved word escapes to itself (it has no `%` or `/`): mark it as a resource's.
        let s = if RESERVED.contains(&name) {
            s.raw("%")
        } else {
            s
        };
        s.part(name)
    }

    /// One of a resource's internal streams: `resource/part/part…` (a replica's lag, a backup job).
    pub fn of_resource(name: &str, parts: &[&str]) -> Self {
        parts
            .iter()
            .fold(Self::owner(name), |s, part| s.raw("/").part(part))
            .done()
    }

    /// A disaster's onset and duration.
    pub fn disaster(name: &str) -> Self {
        Spelling::new().raw("disaster/").part(name).done()
    }

    /// A person's response times (the same person in every runbook).
    pub fn human(who: &str) -> Self {
        Spelling::new().raw("human/").part(who).done()
    }

    /// When an operator notices an outage that triggers a runbook.
    pub fn notice(runbook: &str) -> Self {
        Spelling::new().raw("notice/").part(runbook).done()
    }

    /// A runbook's `Wait` states.
    pub fn runbook(runbook: &str) -> Self {
        Spelling::new().raw("runbook/").part(runbook).done()
    }

    /// A runbook's `Run` step doing `what`.
    pub fn runbook_step(runbook: &str, what: &str) -> Self {
        Spelling::new()
            .raw("runbook/")
            .part(runbook)
            .raw("/")
            .part(what)
            .done()
    }

    /// A store's settlement draws (how many writes each piece of its ledger holds).
    pub fn ledger(store: &str) -> Self {
        Spelling::new().raw("ledger/").part(store).done()
    }

    /// The stream id.
    pub fn id(self) -> StreamId {
        self.0
    }

    /// This stream of `streams`.
    pub fn stream(self, streams: &RngStreams) -> Stream {
        streams.stream(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelt(text: &str) -> StreamId {
        StreamId::named(text)
    }

    #[test]
    fn ordinary_names_are_spelt_as_before() {
        assert_eq!(StreamName::resource("web-asg").id(), spelt("web-asg"));
        assert_eq!(
            StreamName::of_resource("db", &["replica in us-west-2a", "lag"]).id(),
            spelt("db/replica in us-west-2a/lag")
        );
        assert_eq!(StreamName::human("oncall").id(), spelt("human/oncall"));
        assert_eq!(
            StreamName::runbook_step("failover", "verify").id(),
            spelt("runbook/failover/verify")
        );
        assert_eq!(StreamName::disaster("east").id(), spelt("disaster/east"));
        assert_eq!(StreamName::ledger("db").id(), spelt("ledger/db"));
        assert_eq!(StreamName::notice("b").id(), spelt("notice/b"));
        assert_eq!(StreamName::runbook("b").id(), spelt("runbook/b"));
    }

    #[test]
    fn special_characters_are_escaped_and_reserved_words_marked() {
        assert_eq!(
            StreamName::resource("human/oncall").id(),
            spelt("human%2Foncall")
        );
        assert_eq!(StreamName::resource("100%").id(), spelt("100%25"));
        assert_eq!(
            StreamName::of_resource("human", &["restore"]).id(),
            spelt("%human/restore")
        );
        assert_eq!(StreamName::human("a/b%").id(), spelt("human/a%2Fb%25"));
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

//! Seeded random streams: one independent `rand_chacha` stream per (seed, replication, component).
//!
//! **Why per component.** Each component (a replica's lag, a human's response time, a disaster's onset)
//! draws from its own stream, identified by a [`StreamId`] derived from its *name*, not from its position in
//! the scenario. Adding, removing or reordering one component therefore leaves every other component's
//! draws unchanged, which is what makes *common random numbers* work: two strategies run with the same seed
//! face the same disaster at the same moment with the same lags, so their difference is the strategy's.
//!
//! **How.** The ChaCha key (256 bits) is derived injectively from `(seed, replication)`; the ChaCha stream
//! number (64 bits) is the stream id. Distinct `(seed, replication, stream)` triples are distinct ChaCha
//! streams, independent by construction of the cipher.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One random stream. ChaCha with 8 rounds: statistically sound, portable, reproducible, and fast.
pub type Stream = ChaCha8Rng;

/// Names a random stream within a replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId(pub u64);

impl StreamId {
    /// The stream of the component called `name` (FNV-1a of its UTF-8 bytes): stable across runs, machines
    /// and scenario edits that do not rename the component.
    pub const fn named(name: &str) -> StreamId {
        let bytes = name.as_bytes();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            i += 1;
        }
        StreamId(hash)
    }

    /// A sub-stream of this one, for a component with several independent needs (e.g. `"lag"` and
    /// `"promotion"` of one replica).
    pub const fn child(self, name: &str) -> StreamId {
        let StreamId(child) = StreamId::named(name);
        StreamId(mix64(self.0 ^ child.rotate_left(32)))
    }
}

/// The random streams of one replication of one scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RngStreams {
    key: [u8; 32],
    seed: u64,
    replication: u64,
}

impl RngStreams {
    /// The streams of replication `replication` under scenario seed `seed`.
    pub fn new(seed: u64, replication: u64) -> Self {
        // Each word is a bijection of one input (mix64 is invertible), so the key is injective in the pair.
        let words = [
            mix64(seed ^ 0x5851_F42D_4C95_7F2D),
            mix64(seed.rotate_left(29) ^ 0x1405_7B7E_F767_814F),
            mix64(replication ^ 0x2545_F491_4F6C_DD1D),
            mix64(replication.rotate_left(31) ^ 0x9E37_79B9_7F4A_7C15),
        ];
        let mut key = [0u8; 32];
        for (chunk, word) in key.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        RngStreams {
            key,
            seed,
            replication,
        }
    }

    /// The scenario seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The replication index.
    pub fn replication(&self) -> u64 {
        self.replication
    }

    /// A fresh stream `id`. Calling this twice with the same id gives two identical streams.
    pub fn stream(&self, id: StreamId) -> Stream {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(id.0);
        rng
    }

    /// A fresh stream for the component called `name`.
    pub fn named(&self, name: &str) -> Stream {
        self.stream(StreamId::named(name))
    }
}

/// SplitMix64's finaliser: a bijection on `u64` with good avalanche.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform integer in `0..bound` (Lemire's multiply-shift; `bound` must be non-zero). The tiny bias for
/// bounds far below 2^64 is irrelevant to simulation and it costs one multiply.
#[inline]
pub fn below(rng: &mut Stream, bound: u64) -> u64 {
    use rand::Rng;
    ((u128::from(rng.next_u64()) * u128::from(bound)) >> 64) as u64
}

/// A uniform float in `[0, 1)` with 53 random bits.
#[inline]
pub fn unit_f64(rng: &mut Stream) -> f64 {
    use rand::Rng;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

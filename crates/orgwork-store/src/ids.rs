//! Row ids made in Rust, not by the database (no SERIAL, no sequence), so that bulk loads
//! need no round trip and a distributed PostgreSQL stays an option.
//!
//! An id is 64 bits: 41 bits of milliseconds since 2020-01-01, 10 bits of a process tag
//! drawn at random when the generator starts, 12 bits of sequence. Ids from one generator
//! increase strictly; two processes collide only if they draw the same tag and the same
//! millisecond and sequence.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

const EPOCH_MS: u64 = 1_577_836_800_000; // 2020-01-01T00:00:00Z

#[derive(Debug)]
pub struct IdGenerator {
    tag: u64,
    state: Mutex<(u64, u64)>, // (millisecond, sequence)
}

impl Default for IdGenerator {
    fn default() -> Self {
        Self::new()
    }
}

impl IdGenerator {
    pub fn new() -> Self {
        IdGenerator { tag: rand::random::<u64>() & 0x3FF, state: Mutex::new((0, 0)) }
    }

    pub fn next_id(&self) -> i64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(EPOCH_MS)
            .saturating_sub(EPOCH_MS);
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if now > s.0 {
            *s = (now, 0);
        } else {
            s.1 += 1;
            if s.1 == 4096 {
                // The sequence of this millisecond is spent: borrow the next one.
                *s = (s.0 + 1, 0);
            }
        }
        ((s.0 << 22) | (self.tag << 12) | s.1) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::IdGenerator;

    #[test]
    fn ids_increase_strictly_even_past_the_sequence() {
        let g = IdGenerator::new();
        let mut last = 0;
        for _ in 0..20_000 {
            let id = g.next_id();
            assert!(id > last);
            last = id;
        }
    }
}

//! FxHash, rustc's hash: a rotate, a xor and a multiply per word. For maps
//! keyed by names from the user's own files, built once per load, where
//! SipHash (std's default, made to resist chosen keys) cost a tenth of the
//! work at 10,000 profiles. There is no adversary choosing the keys here.

/// The hasher state.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with FxHash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_meet_and_different_ones_stay_apart() {
        let mut map: FxHashMap<(&str, &str), usize> = FxHashMap::default();
        assert_eq!(map.insert(("profile", "dev"), 1), None);
        assert_eq!(map.insert(("profile", "dev2"), 2), None);
        assert_eq!(map.insert(("profil", "edev"), 3), None);
        assert_eq!(map.insert(("profile", "dev"), 4), Some(1));
        assert_eq!(map.len(), 3);
    }
}

//! Name → id lookup for interning, built for the judge column: a million battles can carry a
//! hundred thousand distinct judge names, so nearly every lookup misses the cache, and a std map
//! of `String` keys pays three misses (control bytes, the entry, the string's heap block). Here a
//! slot holds a hash tag and the offset of the name in one contiguous arena, so a lookup touches
//! the slot and the arena, and compares names only when the 32-bit tags agree.

use std::hash::Hasher;

use super::name_hash::NameHasher;

/// Ids of interned names (the names themselves live in the caller's `Vec<String>`, by id).
#[derive(Default)]
pub(crate) struct NameIds {
    /// Open addressing with linear probing, a power of two long; `(tag, arena offset + 1)`,
    /// offset 0 = empty.
    slots: Vec<(u32, u32)>,
    /// Per name: its id (4 bytes, little-endian), its length (4 bytes), then its bytes.
    arena: Vec<u8>,
    len: usize,
}

fn hash(name: &[u8]) -> u64 {
    let mut h = NameHasher::default();
    h.write(name);
    h.finish()
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes.get(at..at + 4)?);
    Some(u32::from_le_bytes(word))
}

impl NameIds {
    /// The id of `name`, interning it into `names` (with the next id) on first sight.
    pub(crate) fn intern(&mut self, names: &mut Vec<String>, name: &str) -> u32 {
        // Keep the table at most half full, so probe runs stay short.
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = hash(name.as_bytes());
        let tag = (h >> 32) as u32;
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let (slot_tag, offset) = self.slots[i];
            if offset == 0 {
                break;
            }
            if slot_tag == tag {
                if let Some(id) = self.id_if_named(offset as usize - 1, name.as_bytes()) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
        let id = names.len() as u32;
        names.push(name.to_owned());
        let offset = self.arena.len();
        self.arena.extend_from_slice(&id.to_le_bytes());
        self.arena.extend_from_slice(&(name.len() as u32).to_le_bytes());
        self.arena.extend_from_slice(name.as_bytes());
        self.slots[i] = (tag, offset as u32 + 1);
        self.len += 1;
        id
    }

    /// Interns every name of `from` (another log's names): the new id of each old id. Used where
    /// builders are merged (`battles::merge`): natively, and in the page's worker pool.
    pub(crate) fn reintern(&mut self, names: &mut Vec<String>, from: &[String]) -> Vec<u32> {
        from.iter().map(|n| self.intern(names, n)).collect()
    }

    fn id_if_named(&self, offset: usize, name: &[u8]) -> Option<u32> {
        let id = read_u32(&self.arena, offset)?;
        let len = read_u32(&self.arena, offset + 4)? as usize;
        let stored = self.arena.get(offset + 8..offset + 8 + len)?;
        (stored == name).then_some(id)
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![(0u32, 0u32); size];
        let mask = size - 1;
        for &(tag, offset) in self.slots.iter().filter(|s| s.1 != 0) {
            let start = offset as usize - 1;
            let len = read_u32(&self.arena, start + 4).unwrap_or(0) as usize;
            let name = self.arena.get(start + 8..start + 8 + len).unwrap_or_default();
            let mut i = hash(name) as usize & mask;
            while slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (tag, offset);
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_first_sight_through_growth() {
        let mut ids = NameIds::default();
        let mut names = Vec::new();
        for round in 0..3 {
            for i in 0..5000u32 {
                let name = format!("arena_user_{}", i * 7919 % 5000);
                let id = ids.intern(&mut names, &name);
                assert_eq!(names[id as usize], name, "round {round}");
            }
        }
        assert_eq!(names.len(), 5000);
        assert_eq!(ids.intern(&mut names, ""), 5000);
        assert_eq!(ids.intern(&mut names, ""), 5000);
        assert_eq!(ids.reintern(&mut names, &["x".into(), "arena_user_0".into()]), vec![5001, 0]);
    }
}

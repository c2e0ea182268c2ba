//! The end of a batch run: its small segments merged into one.
//!
//! A query pays for every segment of the index, whatever its size: each term is looked up in each
//! segment's dictionary and each clause gets a scorer per segment. tantivy's merge policy merges
//! segments of one size only once eight of them exist, so a whole-corpus run ends with its largest
//! segment and a tail of smaller ones — at ×10 (381k documents, a commit every 10,000 files on two
//! threads) 320k and 40k documents and six of 450 to 5,100. The segments smaller than a quarter of
//! the largest are merged into one (here the seven beside the largest: 61k documents, about 5 s at
//! ×10), which makes queries 15–20 % faster there (BENCHMARKS.md, "Queries, second round"). The
//! large ones are left as they are: merging the largest too rewrites the whole index (27 s at ×10)
//! for about 4 % more, and a run that adds a few documents to a large index merges only its
//! small segments.
//!
//! A merge replaces its segments atomically (tantivy writes the new list of segments once the
//! merged one is complete), so an interrupted run loses nothing: the tail stays as it was.

use std::path::Path;

use tantivy::index::SegmentId;
use tantivy::Index;

use crate::open::writer;
use crate::IndexerError;

/// A segment with fewer documents than the largest's divided by this is small: merged at the end
/// of a batch run.
pub const SMALL_SEGMENT_DIVISOR: u32 = 4;

/// Memory budget of the writer that only merges (it indexes nothing).
const MERGE_WRITER_MEMORY: usize = 20 * 1024 * 1024;

/// The segments to merge, given each segment's id and document count: the small ones (see
/// [`SMALL_SEGMENT_DIVISOR`]), when there are two or more.
fn tail(segments: Vec<(SegmentId, u32)>) -> Vec<SegmentId> {
    let largest = segments.iter().map(|&(_, docs)| docs).max().unwrap_or(0);
    let small: Vec<SegmentId> = segments
        .into_iter()
        .filter(|&(_, docs)| docs < largest / SMALL_SEGMENT_DIVISOR)
        .map(|(id, _)| id)
        .collect();
    if small.len() < 2 {
        return Vec::new();
    }
    small
}

/// Merges the small segments of a batch run into one (see the module) and returns how many were
/// merged. Takes the index's writer lock again: if another process took it meanwhile, the merge is
/// left to a later run (the index is complete without it).
pub(crate) fn merge_tail(index: &Index, path: &Path) -> Result<usize, IndexerError> {
    let segments = index
        .searchable_segment_metas()?
        .into_iter()
        .map(|m| (m.id(), m.num_docs()))
        .collect();
    let tail = tail(segments);
    if tail.is_empty() {
        return Ok(0);
    }
    let mut w = match writer(index, path, MERGE_WRITER_MEMORY, 1) {
        Ok(w) => w,
        Err(IndexerError::Locked(_)) => return Ok(0),
        Err(e) => return Err(e),
    };
    w.merge(&tail).wait()?;
    w.wait_merging_threads()?;
    Ok(tail.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<SegmentId> {
        (0..n).map(|_| SegmentId::generate_random()).collect()
    }

    #[test]
    fn one_small_segment_or_none_is_left_alone() {
        let s = ids(3);
        assert!(tail(vec![(s[0], 320_000), (s[1], 40_000)]).is_empty());
        assert!(tail(vec![(s[0], 320_000), (s[1], 310_000), (s[2], 12)]).is_empty());
        assert!(tail(vec![(s[0], 5)]).is_empty());
        assert!(tail(Vec::new()).is_empty());
    }

    #[test]
    fn the_small_segments_are_merged_and_the_large_left_alone() {
        let s = ids(5);
        let mut merged = tail(vec![
            (s[0], 4_859),
            (s[1], 320_000),
            (s[2], 454),
            (s[3], 40_000),
            (s[4], 300_000),
        ]);
        merged.sort();
        let mut expected = vec![s[0], s[2], s[3]];
        expected.sort();
        assert_eq!(merged, expected);
    }
}

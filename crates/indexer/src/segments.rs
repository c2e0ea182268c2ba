//! The end of a batch run: its small segments merged into one, so that at most two are left.
//!
//! A query pays for every segment of the index, whatever its size: each term is looked up in each
//! segment's dictionary and each clause gets a scorer per segment. tantivy's merge policy merges
//! segments of one size only once eight of them exist, so a whole-corpus run ends with its largest
//! segment and a tail of smaller ones — at ×10 (381k documents, a commit every 10,000 files on two
//! threads) 320k and 40k documents and six of 450 to 5,100. Merging the tail into one (61k
//! documents, about 5 s at ×10) makes queries 15–20 % faster there (BENCHMARKS.md, "Fewer
//! segments"). The largest segment is left as it is: merging it too rewrites the whole index
//! (27 s at ×10) for about 5 % more.
//!
//! A merge replaces its segments atomically (tantivy writes the new list of segments once the
//! merged one is complete), so an interrupted run loses nothing: the tail stays as it was.

use std::path::Path;

use tantivy::index::SegmentId;
use tantivy::Index;

use crate::open::writer;
use crate::IndexerError;

/// A batch run leaves at most this many segments: its largest and the merged rest.
pub const MAX_SEGMENTS_AFTER_BATCH: usize = 2;

/// Memory budget of the writer that only merges (it indexes nothing).
const MERGE_WRITER_MEMORY: usize = 20 * 1024 * 1024;

/// The segments to merge, given each segment's id and document count: all but the largest, when
/// there are more than [`MAX_SEGMENTS_AFTER_BATCH`].
fn tail(mut segments: Vec<(SegmentId, u32)>) -> Vec<SegmentId> {
    if segments.len() <= MAX_SEGMENTS_AFTER_BATCH {
        return Vec::new();
    }
    segments.sort_by_key(|&(_, docs)| std::cmp::Reverse(docs));
    segments.into_iter().skip(1).map(|(id, _)| id).collect()
}

/// Merges the tail of a batch run's segments into one (see the module). Takes the index's writer
/// lock (`path` names the index in the error when another process holds it) and returns how many
/// segments were merged.
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
    let mut w = writer(index, path, MERGE_WRITER_MEMORY, 1)?;
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
    fn two_segments_or_fewer_are_left_alone() {
        let s = ids(2);
        assert!(tail(vec![(s[0], 320_000), (s[1], 40_000)]).is_empty());
        assert!(tail(vec![(s[0], 5)]).is_empty());
        assert!(tail(Vec::new()).is_empty());
    }

    #[test]
    fn everything_beside_the_largest_segment_is_merged() {
        let s = ids(4);
        let mut merged = tail(vec![
            (s[0], 4_859),
            (s[1], 320_000),
            (s[2], 454),
            (s[3], 40_000),
        ]);
        merged.sort();
        let mut expected = vec![s[0], s[2], s[3]];
        expected.sort();
        assert_eq!(merged, expected);
    }
}

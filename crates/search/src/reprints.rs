//! Reprints at search time: a result list shows each reprint group once, and every document says
//! which others are the same release.
//!
//! Groups are assigned when documents are indexed (`hoptac_indexer::reprint`). Here a ranked list is
//! *collapsed* — a group appears once, at its best-ranked member, the others listed as its
//! [`Reprint`]s — as Elasticsearch's field collapsing does. Counts are not collapsed: `total` and
//! the facet counts count documents, each reprint once, as Elasticsearch's do.

use tantivy::collector::TopDocs;
use tantivy::columnar::StrColumn;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Order, Searcher, SegmentReader, Term};

use hoptac_indexer::schema::Fields;

use crate::SearchError;

/// Other members listed per document at most.
pub const MAX_LISTED: usize = 50;

/// Another publication of the same release.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reprint {
    /// Document id.
    pub id: String,
    /// Title as that outlet wrote it.
    pub title: String,
    /// ISO date, when known.
    pub date: Option<String>,
}

/// Keeps the first (best-ranked) document of each reprint group, in order.
pub fn collapse(
    searcher: &Searcher,
    docs: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    let mut keys = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        keys.push(segment.fast_fields().u64("group_key")?);
    }
    let mut seen = std::collections::HashSet::with_capacity(docs.len());
    Ok(docs
        .into_iter()
        .filter(|(_, a)| {
            let key = keys[a.segment_ord as usize].first(a.doc_id);
            // A document without a key (none is written so) stands alone.
            key.is_none_or(|k| seen.insert(k))
        })
        .collect())
}

/// The other members of `group`, newest first, `id` itself left out. Read from the `id`, `title`
/// and `date` columns: a reprint's stored text is never decompressed to list it.
pub fn members(
    searcher: &Searcher,
    fields: &Fields,
    group: &str,
    id: &str,
) -> Result<Vec<Reprint>, SearchError> {
    if group.is_empty() {
        return Ok(Vec::new());
    }
    let term = Term::from_field_text(fields.group, group);
    // Most documents are alone: one lookup of the term's frequency says so.
    if searcher.doc_freq(&term)? < 2 {
        return Ok(Vec::new());
    }
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let top =
        TopDocs::with_limit(MAX_LISTED + 1).order_by_fast_field::<u64>("date_key", Order::Desc);
    let mut columns: Vec<Option<Columns>> = Vec::new();
    columns.resize_with(searcher.segment_readers().len(), || None);
    let mut out = Vec::new();
    for (_, addr) in searcher.search(&q, &top)? {
        let c = match &mut columns[addr.segment_ord as usize] {
            Some(c) => c,
            slot => slot.insert(Columns::of(searcher.segment_reader(addr.segment_ord))?),
        };
        let member = c.read(addr.doc_id)?;
        if member.id != id && out.len() < MAX_LISTED {
            out.push(member);
        }
    }
    Ok(out)
}

/// One segment's columns a reprint is listed from.
struct Columns {
    id: Column,
    title: Column,
    date: Column,
}

/// A text column, and the values already read from it when they repeat: a group's members share
/// their title and usually their date, so each is read from the column's dictionary (a block
/// decoded up to it) once, not once per member.
struct Column {
    column: Option<StrColumn>,
    repeats: bool,
    read: Vec<(u64, String)>,
}

impl Column {
    fn of(column: Option<StrColumn>, repeats: bool) -> Column {
        Column {
            column,
            repeats,
            read: Vec::new(),
        }
    }

    /// The document's first value.
    fn first(&mut self, doc: DocId) -> Result<Option<String>, SearchError> {
        let Some(column) = &self.column else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(doc).next() else {
            return Ok(None);
        };
        if let Some((_, value)) = self.read.iter().find(|(o, _)| *o == ord) {
            return Ok(Some(value.clone()));
        }
        let mut value = String::new();
        column
            .ord_to_str(ord, &mut value)
            .map_err(tantivy::TantivyError::from)?;
        if self.repeats {
            self.read.push((ord, value.clone()));
        }
        Ok(Some(value))
    }
}

impl Columns {
    fn of(segment: &SegmentReader) -> Result<Columns, SearchError> {
        let ff = segment.fast_fields();
        Ok(Columns {
            id: Column::of(ff.str("id")?, false),
            title: Column::of(ff.str("title")?, true),
            date: Column::of(ff.str("date")?, true),
        })
    }

    fn read(&mut self, doc: DocId) -> Result<Reprint, SearchError> {
        Ok(Reprint {
            id: self.id.first(doc)?.unwrap_or_default(),
            title: self.title.first(doc)?.unwrap_or_default(),
            date: self.date.first(doc)?,
        })
    }
}

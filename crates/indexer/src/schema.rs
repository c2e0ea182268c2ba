//! The index schema: two analysed views of each text field, bigrams, facets and metadata.
//!
//! Each text field is indexed three ways — exact (diacritics kept, canonical tone placement), folded
//! (diacritics removed, with positions for phrases) and folded syllable bigrams (word evidence) — and
//! stored once, as written, for display and snippets. The acronyms a document writes in capitals
//! (title and body) are one more field, so that `AI` matches `AI` and not `ai`. Facets are both a tantivy facet field (for
//! counts) and plain string fields (for filters and display).

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, STORED, STRING,
};

use hoptac_analyzer::{VI_BIGRAM, VI_CAPITALS, VI_EXACT, VI_FOLDED};
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Facet, OwnedValue};
use tantivy::{doc, TantivyDocument};

use crate::document::Document;

/// Changes whenever fields change; an index with another version must be rebuilt.
pub const SCHEMA_VERSION: &str = "schema-4";

/// Handles to every field.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Stable document id (corpus-relative path or given id).
    pub id: Field,
    /// Title as written (stored), indexed exact.
    pub title: Field,
    /// Title, folded, with positions.
    pub title_f: Field,
    /// Title, folded bigrams.
    pub title_bi: Field,
    /// Body as written (stored), indexed exact.
    pub body: Field,
    /// Body, folded, with positions.
    pub body_f: Field,
    /// Body, folded bigrams.
    pub body_bi: Field,
    /// Title and body: the tokens written in capitals, folded (an acronym matches only as one:
    /// `AI`, not `ai`). Presence only: no frequencies, no positions.
    pub capitals: Field,
    /// Publication date, ISO `YYYY-MM-DD` (or `YYYY`), stored.
    pub date: Field,
    /// `YYYYMMDD` for sorting by recency.
    pub date_key: Field,
    /// Publication year (or best evidence).
    pub year: Field,
    /// Source URL.
    pub url: Field,
    /// Countries (canonical names), multi-valued.
    pub country: Field,
    /// Ministries (canonical names), multi-valued.
    pub ministry: Field,
    /// Topics, multi-valued.
    pub topic: Field,
    /// `/country/…`, `/ministry/…`, `/year/…`, `/topic/…` facets.
    pub facets: Field,
    /// Content hash of the source file (incremental indexing).
    pub hash: Field,
    /// Source format (`txt`, `html`, `md`, `json`).
    pub format: Field,
    /// Detected text encoding.
    pub encoding: Field,
    /// The reprint group (see [`crate::reprint`]): the id of the first document of the release.
    pub group: Field,
    /// The group as a 64-bit key, for collapsing a result list by a fast field.
    pub group_key: Field,
    /// The text's smallest shingle hashes, looked up to find its reprints.
    pub near: Field,
    /// The text's sketch, to estimate its similarity to a candidate reprint.
    pub sketch: Field,
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let exact = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(VI_EXACT)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(VI_FOLDED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let bigram = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(VI_BIGRAM)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        // The title and the date are also fast fields: a hit lists its reprints by id, title and
        // date, read from columns instead of decompressing each reprint's whole stored text.
        title: b.add_text_field("title", exact.clone().set_fast(None)),
        title_f: b.add_text_field("title_f", folded.clone()),
        title_bi: b.add_text_field("title_bi", bigram.clone()),
        body: b.add_text_field("body", exact),
        body_f: b.add_text_field("body_f", folded),
        body_bi: b.add_text_field("body_bi", bigram),
        capitals: b.add_text_field(
            "capitals",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(VI_CAPITALS)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        date: b.add_text_field("date", STORED | FAST),
        date_key: b.add_u64_field("date_key", FAST),
        year: b.add_u64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        url: b.add_text_field("url", STORED),
        country: b.add_text_field("country", STRING | STORED),
        ministry: b.add_text_field("ministry", STRING | STORED),
        topic: b.add_text_field("topic", STRING | STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        hash: b.add_text_field("hash", STRING | STORED),
        format: b.add_text_field("format", STORED),
        encoding: b.add_text_field("encoding", STORED),
        group: b.add_text_field("group", STRING | STORED | FAST),
        group_key: b.add_u64_field("group_key", FAST),
        near: b.add_text_field("near", STRING),
        sketch: b.add_bytes_field("sketch", FAST),
    };
    (b.build(), fields)
}

impl Fields {
    /// Field handles of an existing schema; `None` if it is not a hoptac schema.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f("id")?,
            title: f("title")?,
            title_f: f("title_f")?,
            title_bi: f("title_bi")?,
            body: f("body")?,
            body_f: f("body_f")?,
            body_bi: f("body_bi")?,
            capitals: f("capitals")?,
            date: f("date")?,
            date_key: f("date_key")?,
            year: f("year")?,
            url: f("url")?,
            country: f("country")?,
            ministry: f("ministry")?,
            topic: f("topic")?,
            facets: f("facets")?,
            hash: f("hash")?,
            format: f("format")?,
            encoding: f("encoding")?,
            group: f("group")?,
            group_key: f("group_key")?,
            near: f("near")?,
            sketch: f("sketch")?,
        })
    }
}

/// The tantivy document for a hoptac document.
pub fn to_tantivy(f: &Fields, d: &Document) -> TantivyDocument {
    let mut t = doc!(
        f.id => d.id.as_str(),
        f.title => d.title.as_str(),
        f.title_f => d.title.as_str(),
        f.title_bi => d.title.as_str(),
        f.body => d.body.as_str(),
        f.body_f => d.body.as_str(),
        f.body_bi => d.body.as_str(),
        f.capitals => d.title.as_str(),
        f.capitals => d.body.as_str(),
        f.hash => d.hash.as_str(),
        f.format => d.format.as_str(),
        f.encoding => d.encoding.as_str(),
    );
    if let Some(date) = &d.date {
        t.add_text(f.date, date);
        let key: u64 = date.replace('-', "").parse().unwrap_or(0);
        let key = match date.len() {
            4 => key * 10_000,
            7 => key * 100,
            _ => key,
        };
        t.add_u64(f.date_key, key);
    } else {
        t.add_u64(f.date_key, d.year.map(|y| y * 10_000).unwrap_or(0));
    }
    if let Some(y) = d.year {
        t.add_u64(f.year, y);
        t.add_facet(f.facets, Facet::from_path(["year", &y.to_string()]));
    }
    if let Some(u) = &d.url {
        t.add_text(f.url, u);
    }
    let group = if d.group.is_empty() { &d.id } else { &d.group };
    t.add_text(f.group, group);
    t.add_u64(f.group_key, crate::reprint::group_key(group));
    for (field, root, values) in [
        (f.country, "country", &d.country),
        (f.ministry, "ministry", &d.ministry),
        (f.topic, "topic", &d.topic),
    ] {
        for v in values {
            t.add_text(field, v);
            t.add_facet(f.facets, Facet::from_path([root, v.as_str()]));
        }
    }
    t
}

/// A stored document's values, each moved out of the store as it is read. Reading a hit into
/// tantivy's `TantivyDocument` copies every text into that document's own buffer, and turning it
/// into a [`Document`] copied each again: a search reads every hit's whole text for its snippet.
#[derive(Debug, Default)]
pub struct Stored(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for Stored {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(value) = deserializer.next_field::<OwnedValue>()? {
            values.push(value);
        }
        Ok(Stored(values))
    }
}

/// Reads a hoptac document back from its stored values: each text field's first value, every value
/// of the facet fields, the year.
pub fn from_stored(f: &Fields, stored: Stored) -> Document {
    let singles = [
        f.id, f.title, f.body, f.date, f.url, f.hash, f.format, f.encoding, f.group,
    ];
    let mut firsts: [Option<String>; 9] = Default::default();
    let (mut year, mut country, mut ministry, mut topic) =
        (None, Vec::new(), Vec::new(), Vec::new());
    for (field, value) in stored.0 {
        let text = match value {
            OwnedValue::Str(text) => text,
            OwnedValue::U64(y) if field == f.year => {
                year.get_or_insert(y);
                continue;
            }
            _ => continue,
        };
        if let Some(k) = singles.iter().position(|&x| x == field) {
            firsts[k].get_or_insert(text);
        } else if field == f.country {
            country.push(text);
        } else if field == f.ministry {
            ministry.push(text);
        } else if field == f.topic {
            topic.push(text);
        }
    }
    let [id, title, body, date, url, hash, format, encoding, group] = firsts;
    Document {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        body: body.unwrap_or_default(),
        date,
        year,
        url,
        country,
        ministry,
        topic,
        hash: hash.unwrap_or_default(),
        format: format.unwrap_or_default(),
        encoding: encoding.unwrap_or_default(),
        group: group.unwrap_or_default(),
    }
}

/// Reads a hoptac document back from a stored tantivy document.
pub fn from_tantivy(f: &Fields, t: &TantivyDocument) -> Document {
    from_stored(
        f,
        Stored(
            t.field_values()
                .map(|(field, value)| (field, OwnedValue::from(value)))
                .collect(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::{DocAddress, Index};

    /// A document with every field, several countries and topics, through a real index and back:
    /// read as its stored values it is the document written, as read through tantivy's document.
    #[test]
    fn a_stored_document_reads_back_as_written() {
        let (schema, f) = build();
        let index = Index::create_in_ram(schema);
        hoptac_analyzer::register(index.tokenizers());
        let written = Document {
            id: "mofa/2010/han-quoc.txt".into(),
            title: "Việt Nam – Hàn Quốc hợp tác xây dựng Chính phủ điện tử".into(),
            body: "Bộ TT&TT và Hàn Quốc ký MoU về an toàn thông tin ngày 14/5/2010.".into(),
            date: Some("2010-05-14".into()),
            year: Some(2010),
            url: Some("https://mic.gov.vn/han-quoc".into()),
            country: vec!["Hàn Quốc".into(), "Việt Nam".into()],
            ministry: vec!["Bộ Thông tin và Truyền thông".into()],
            topic: vec!["Chính phủ điện tử".into(), "An toàn thông tin".into()],
            hash: "98408a7511f8acb5".into(),
            format: "txt".into(),
            encoding: "utf-8".into(),
            group: "mofa/2010/han-quoc.txt".into(),
        };
        let mut writer = index.writer_with_num_threads(1, 20_000_000).unwrap();
        writer.add_document(to_tantivy(&f, &written)).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let address = DocAddress::new(0, 0);
        let stored: Stored = searcher.doc(address).unwrap();
        assert_eq!(from_stored(&f, stored), written);
        let compact: TantivyDocument = searcher.doc(address).unwrap();
        assert_eq!(from_tantivy(&f, &compact), written);
    }
}

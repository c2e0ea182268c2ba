//! Query understanding: from what a user typed to a plan of concepts.
//!
//! tantivy's QueryParser splits on whitespace before analysis, which breaks multi-syllable words, so
//! hoptac reads queries itself. Syntax: `"quoted phrase"` must match as a phrase, `-word` and
//! `-"phrase"` exclude; everything else is free text. Anything the syntax cannot read (an unclosed
//! quote, `(((`, a lone `-`, control characters) is read as free text, never an error.
//!
//! Free text is analysed like documents and grouped into concepts, longest first: a country name or
//! alias (`Nam Hàn`, `Korea`), an acronym or its expansion (`ATTT`, `an toàn thông tin`), an English
//! glossary phrase (`smart city`), a dictionary word (`hợp tác`), or a single syllable. Each concept
//! knows its alternatives, so the ranking can reward any way of saying it.

use std::collections::{HashMap, HashSet};

use hoptac_analyzer::capitals::is_capitals;
use hoptac_analyzer::{analyze, normalized_syllables, AcronymTable, Kind, Lexicon};
use hoptac_indexer::Config;

/// One query syllable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QTerm {
    /// Exact view.
    pub exact: String,
    /// Folded view.
    pub folded: String,
    /// Typed with diacritics (so exact matches deserve a reward).
    pub diacritics: bool,
    /// A function word (no weight on its own).
    pub stop: bool,
}

/// Why an alternative stands for its concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AltKind {
    /// What an acronym stands for (`ATTT` → `an toàn thông tin`).
    Expansion,
    /// The acronym of an expansion (`an toàn thông tin` → `ATTT`), or of an English name
    /// (`artificial intelligence` → `AI`).
    Acronym,
    /// Another name of a country (`Hàn Quốc` → `Nam Hàn`, `Korea`).
    Alias,
    /// The Vietnamese for an English glossary phrase (`smart city` → `thành phố thông minh`).
    English,
    /// A synonym from the glossary (`an toàn thông tin` → `an ninh thông tin`).
    Synonym,
}

/// Another way of saying a concept: its syllables as index-config spells them.
///
/// A syllable typed with diacritics means that syllable, not its folded twins (`Nhật`, Japan, is not
/// `nhất`, first), and so do the alternatives of a concept typed with diacritics: their syllables
/// with diacritics are marked to match their own spelling only. A concept typed without diacritics
/// matches its alternatives folded, as it matches itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// The syllables of the alternative (an acronym is one token, or several: `tp hcm`).
    pub terms: Vec<QTerm>,
    /// Why it is an alternative.
    pub kind: AltKind,
    /// Matches only where a text writes it in capitals: an acronym (`AI`, `UAE`) is not the
    /// everyday word its letters spell in lower case (`ai`, who).
    pub capitals: bool,
}

impl Alternative {
    fn new(terms: Vec<QTerm>, kind: AltKind) -> Self {
        Alternative {
            terms,
            kind,
            capitals: false,
        }
    }

    /// An acronym by its key (`tp hcm`: several tokens), matched in capitals when written so.
    fn acronym(key: &str, capitals: bool) -> Self {
        Alternative {
            terms: key.split(' ').map(QTerm::folded).collect(),
            kind: AltKind::Acronym,
            capitals,
        }
    }

    /// Its folded syllables joined by spaces: the lookup key of what it says.
    pub fn key(&self) -> String {
        folded_key(&self.terms)
    }

    /// Matched folded, whatever its spelling (the concept was typed without diacritics).
    fn loosen(mut self) -> Self {
        for t in &mut self.terms {
            t.diacritics = false;
        }
        self
    }
}

impl QTerm {
    /// A syllable with no diacritics to honour (an acronym key, a folded form).
    fn folded(text: &str) -> QTerm {
        QTerm {
            exact: text.to_string(),
            folded: text.to_string(),
            diacritics: false,
            stop: false,
        }
    }
}

/// Folded syllables joined by spaces.
pub(crate) fn folded_key(terms: &[QTerm]) -> String {
    terms
        .iter()
        .map(|t| t.folded.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A group of query syllables that stands for one thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Concept {
    /// The syllables as typed (normalised).
    pub terms: Vec<QTerm>,
    /// Other ways of saying it.
    pub alternatives: Vec<Alternative>,
    /// The canonical country, when the concept names one.
    pub country: Option<String>,
    /// A name the query capitalised (`Mê Kông`, `Phạm Bình Minh`), whose syllables only count
    /// together: a document with `bình minh` and `Phạm` apart does not name the person.
    pub name: bool,
    /// An acronym typed in capitals (`AI`, `ODA`, `UAE`): as typed it matches only where a text
    /// writes it in capitals, never the everyday word its letters spell (`ai`, who).
    pub capitals: bool,
}

impl Concept {
    /// The concept as typed (normalised): `hợp tác`, `ATTT`.
    pub fn as_typed(&self) -> String {
        self.terms
            .iter()
            .map(|t| t.exact.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when every syllable is a function word and nothing else can stand for it.
    pub fn is_stop(&self) -> bool {
        self.terms.iter().all(|t| t.stop) && self.alternatives.is_empty()
    }
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Free-text runs (bigrams never cross from one run to the next), each a list of concepts.
    pub runs: Vec<Vec<Concept>>,
    /// Quoted phrases that must match.
    pub phrases: Vec<Vec<QTerm>>,
    /// Words and phrases that must not match.
    pub excluded: Vec<Vec<QTerm>>,
}

impl Plan {
    /// True when there is nothing to match (filters only, or an unreadable query).
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|r| r.iter().all(Concept::is_stop)) && self.phrases.is_empty()
    }

    /// The concepts that carry meaning, in query order (function words alone are left out): the
    /// units of scoring and of coverage.
    pub fn concepts(&self) -> impl Iterator<Item = &Concept> {
        self.runs.iter().flatten().filter(|c| !c.is_stop())
    }

    /// The sequences of syllables to highlight: each concept as typed (a function word alone is
    /// not marked; within a word or a name it is: `nhat ban` is `Nhật Bản` whole), each
    /// alternative, each quoted phrase — each matched as the set matches it (a syllable typed with
    /// diacritics by its spelling, an acronym where written in capitals).
    pub fn highlight_sequences(&self) -> Vec<Sequence> {
        let mut out: Vec<Sequence> = Vec::new();
        for c in self.runs.iter().flatten() {
            if c.terms.iter().any(|t| !t.stop) {
                out.push(Sequence {
                    terms: c.terms.clone(),
                    capitals: c.capitals,
                });
            }
            for alt in &c.alternatives {
                out.push(Sequence {
                    terms: alt.terms.clone(),
                    capitals: alt.capitals,
                });
            }
        }
        out.extend(self.phrases.iter().map(|p| Sequence {
            terms: p.clone(),
            capitals: false,
        }));
        out.retain(|s| !s.terms.is_empty());
        out
    }
}

/// Syllables to mark in a text where they stand together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// The syllables, in order.
    pub terms: Vec<QTerm>,
    /// Marked only where the text writes every one in capitals (an acronym typed so: `ODA`, not
    /// the name `Oda`).
    pub capitals: bool,
}

/// A concept and the offset of the query token it came from.
type Placed = (Concept, usize);

/// One syllable that names a country in a pair of countries.
#[derive(Clone, Debug)]
struct PairMember {
    /// Its exact spelling, normalised: a query typed with diacritics must match it (`Hán` in `Hán
    /// Việt` is not `Hàn`).
    exact: String,
    /// Index into the countries.
    country: usize,
    /// A pair form (`Hàn`) rather than a name of the country on its own (`Lào`).
    pair_form: bool,
    /// An alias that is also a common word or name (`Anh`): beside `Việt` without a dash it is a
    /// given name (`Việt Anh`), so it only counts across punctuation or a hyphen.
    needs_cue: bool,
}

/// What the query's text says about a token beyond its letters.
#[derive(Clone, Copy, Debug, Default)]
struct Mark {
    /// Typed with a capital first letter.
    capitalised: bool,
    /// Punctuation (a dash, a comma) separates it from the token before.
    boundary: bool,
    /// Typed all in capitals (`AI`, `ODA`, `Ý`).
    capitals: bool,
}

/// What query understanding needs from index-config, compiled once.
#[derive(Clone, Debug, Default)]
pub struct QueryContext {
    acronyms: AcronymTable,
    ambiguous: HashSet<String>,
    lexicon: Lexicon,
    stopwords: HashSet<String>,
    stopwords_folded: HashSet<String>,
    /// folded name or alias → country index
    country_alias: HashMap<String, usize>,
    /// The corpus's own country.
    home: String,
    /// Canonical name and forms.
    countries: Vec<(String, Vec<CountryForm>)>,
    /// Keys of the countries' acronym aliases (`uae`, `y`): typed in capitals, the acronym.
    country_acronyms: HashSet<String>,
    /// folded name or alias → (country index, its exact spelling), every name and alias: a
    /// syllable typed with diacritics names a country only as spelled ([`Self::may_name_country`]).
    country_spellings: HashMap<String, Vec<(usize, String)>>,
    /// Keys of the acronyms written in capitals (`attt`, `ai`; not `ttg`).
    capital_acronyms: HashSet<String>,
    /// folded English phrase → its Vietnamese (and acronym) alternatives
    glossary: HashMap<String, Vec<Alternative>>,
    /// folded phrase → its synonyms
    synonyms: HashMap<String, Vec<Vec<QTerm>>>,
    /// Family names, lower-cased: a capitalised one begins a personal name.
    family_names: HashSet<String>,
    /// folded syllable → the one-syllable ways of naming a country beside another (`Hàn`, `Việt`,
    /// `Mỹ`, `Lào`).
    pair_members: HashMap<String, Vec<PairMember>>,
    longest: usize,
}

/// The lookup key of a phrase: folded tokens as a query sees them (joined tokens whole).
fn key_of(text: &str) -> String {
    keys_of(text).0
}

/// The lookup key of a phrase ([`key_of`]) and its exact spelling, token for token (a hyphenated
/// name one token).
fn keys_of(text: &str) -> (String, String) {
    let (folded, exact): (Vec<String>, Vec<String>) = analyze(text)
        .into_iter()
        .filter(|a| a.syllable.kind != Kind::Part)
        .map(|a| (a.folded, a.exact))
        .unzip();
    (folded.join(" "), exact.join(" "))
}

/// The syllables of a phrase from index-config as indexed for phrase matching (joined tokens as
/// their parts), each marked `diacritics` where its spelling has them: strict until the concept
/// it stands for turns out to be typed without diacritics ([`Alternative::loosen`]).
fn spelled(text: &str) -> Vec<QTerm> {
    analyze(text)
        .into_iter()
        .filter(|a| a.syllable.kind != Kind::Joined)
        .map(|a| QTerm {
            diacritics: a.exact != a.folded && !a.exact.is_ascii(),
            stop: false,
            exact: a.exact,
            folded: a.folded,
        })
        .collect()
}

/// One way of writing a country: its syllables, and whether it matches only in capitals (an
/// acronym alias such as `UAE`).
type CountryForm = (Vec<QTerm>, bool);

impl QueryContext {
    /// Compiles the parts of a configuration that queries use.
    pub fn new(config: &Config) -> Self {
        let mut acronyms = AcronymTable::default();
        let mut ambiguous = HashSet::new();
        let mut glossary: HashMap<String, Vec<Alternative>> = HashMap::new();
        let mut capital_acronyms = HashSet::new();
        for a in &config.acronyms.acronyms {
            for form in std::iter::once(&a.acronym).chain(a.variants.iter()) {
                for e in &a.expansions {
                    acronyms.insert(form, e);
                }
                if a.ambiguous {
                    ambiguous.insert(AcronymTable::key(form));
                }
                if form.split_whitespace().all(is_capitals) {
                    capital_acronyms.insert(AcronymTable::key(form));
                }
            }
            for en in &a.english {
                let entry = glossary.entry(key_of(en)).or_default();
                if !a.ambiguous {
                    entry.push(Alternative::acronym(
                        &AcronymTable::key(&a.acronym),
                        a.acronym.split_whitespace().all(is_capitals),
                    ));
                }
                for e in &a.expansions {
                    entry.push(Alternative::new(spelled(e), AltKind::English));
                }
            }
        }
        for t in &config.glossary.terms {
            for en in &t.en {
                glossary.entry(key_of(en)).or_default().extend(
                    t.vi.iter()
                        .map(|v| Alternative::new(spelled(v), AltKind::English)),
                );
            }
        }
        let mut synonyms: HashMap<String, Vec<Vec<QTerm>>> = HashMap::new();
        for set in &config.glossary.synonyms {
            for w in &set.words {
                let others = set.words.iter().filter(|o| *o != w).map(|o| spelled(o));
                synonyms.entry(key_of(w)).or_default().extend(others);
            }
        }
        let mut country_alias = HashMap::new();
        let mut pair_members: HashMap<String, Vec<PairMember>> = HashMap::new();
        let needs_cue: HashSet<String> = config
            .countries
            .needs_cue
            .iter()
            .map(|a| hoptac_analyzer::normalize(a))
            .collect();
        let mut countries = Vec::new();
        let mut country_acronyms = HashSet::new();
        let mut country_spellings: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, c) in config.countries.countries.iter().enumerate() {
            let mut forms = vec![(spelled(&c.name), false)];
            let written = c.aliases.iter().map(|a| (a, false));
            for (a, capitals) in written.chain(c.acronym_aliases.iter().map(|a| (a, true))) {
                let f = spelled(a);
                if capitals {
                    country_acronyms.insert(key_of(a));
                }
                if !f.is_empty() && !forms.iter().any(|(g, _)| folded_key(g) == folded_key(&f)) {
                    forms.push((f, capitals));
                }
            }
            for a in std::iter::once(&c.name)
                .chain(c.aliases.iter())
                .chain(c.acronym_aliases.iter())
            {
                let (key, exact) = keys_of(a);
                country_alias.entry(key.clone()).or_insert(i);
                country_spellings.entry(key).or_default().push((i, exact));
            }
            countries.push((c.name.clone(), forms));
            let one_syllable = std::iter::once(&c.name)
                .chain(c.aliases.iter())
                .map(|a| (a, false))
                .chain(c.pair_forms.iter().map(|f| (f, true)))
                .filter(|(a, _)| normalized_syllables(a).len() == 1);
            for (form, pair_form) in one_syllable {
                let exact = hoptac_analyzer::normalize(form);
                pair_members
                    .entry(hoptac_analyzer::fold(&exact))
                    .or_default()
                    .push(PairMember {
                        needs_cue: !pair_form && needs_cue.contains(&exact),
                        exact,
                        country: i,
                        pair_form,
                    });
            }
        }
        let stopwords: HashSet<String> = config
            .stopwords
            .iter()
            .map(|s| hoptac_analyzer::normalize(s))
            .collect();
        let stopwords_folded = stopwords.iter().map(|s| hoptac_analyzer::fold(s)).collect();
        let longest = 8;
        QueryContext {
            acronyms,
            ambiguous,
            lexicon: Lexicon::new(config.words.iter().map(String::as_str)),
            stopwords,
            stopwords_folded,
            country_alias,
            countries,
            country_acronyms,
            country_spellings,
            capital_acronyms,
            home: config.countries.home.clone(),
            glossary,
            synonyms,
            pair_members,
            family_names: config
                .family_names
                .iter()
                .map(|n| hoptac_analyzer::normalize(n))
                .collect(),
            longest,
        }
    }

    /// The corpus's own country (`countries.toml`'s `home`), empty when none is set.
    pub fn home_country(&self) -> &str {
        &self.home
    }

    /// The canonical country name for a user's spelling of it (`han quoc`, `Korea` → `Hàn Quốc`).
    pub fn canonical_country(&self, name: &str) -> Option<&str> {
        self.country_alias
            .get(&key_of(name))
            .map(|&i| self.countries[i].0.as_str())
    }

    fn qterms(&self, text: &str) -> Vec<QTerm> {
        analyze(text)
            .into_iter()
            .filter(|a| a.syllable.kind != Kind::Part)
            .map(|a| QTerm {
                diacritics: a.exact != a.folded && !a.exact.is_ascii(),
                stop: if a.exact.is_ascii() {
                    self.stopwords_folded.contains(&a.folded)
                } else {
                    self.stopwords.contains(&a.exact)
                },
                exact: a.exact,
                folded: a.folded,
            })
            .collect()
    }

    /// Parses a query.
    pub fn parse(&self, query: &str) -> Plan {
        let cleaned: String = query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(1000)
            .collect();
        let mut plan = Plan::default();
        let mut free = String::new();
        let mut rest = cleaned.as_str();
        let flush = |free: &mut String, plan: &mut Plan| {
            let marks = token_marks(free);
            let terms = self.qterms(free);
            if !terms.is_empty() {
                plan.runs.push(self.concepts(terms, marks));
            }
            free.clear();
        };
        while let Some(c) = rest.chars().next() {
            let at_word_start = free.is_empty() || free.ends_with(char::is_whitespace);
            if c == '"' {
                if let Some(end) = rest[1..].find('"') {
                    let terms = self.qterms(&rest[1..1 + end]);
                    flush(&mut free, &mut plan);
                    if !terms.is_empty() {
                        plan.phrases.push(terms);
                    }
                    rest = &rest[end + 2..];
                    continue;
                }
                rest = &rest[1..];
                free.push(' ');
                continue;
            }
            if c == '-' && at_word_start {
                let after = &rest[1..];
                if let Some(inner) = after.strip_prefix('"') {
                    if let Some(end) = inner.find('"') {
                        let terms = self.qterms(&inner[..end]);
                        if !terms.is_empty() {
                            plan.excluded.push(terms);
                        }
                        rest = &inner[end + 1..];
                        continue;
                    }
                } else if after.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    let terms = self.qterms(&after[..end]);
                    flush(&mut free, &mut plan);
                    if !terms.is_empty() {
                        plan.excluded.push(terms);
                    }
                    rest = &after[end..];
                    continue;
                }
            }
            free.push(c);
            rest = &rest[c.len_utf8()..];
        }
        flush(&mut free, &mut plan);
        plan
    }

    /// Country `index`'s canonical name, and its other names as alternatives to `typed` (folded
    /// syllables joined by spaces).
    fn country_names(&self, index: usize, typed: &str) -> (String, Vec<Alternative>) {
        let (name, forms) = &self.countries[index];
        let alternatives = forms
            .iter()
            .filter(|(f, _)| folded_key(f) != typed)
            .map(|(f, capitals)| Alternative {
                terms: f.clone(),
                kind: AltKind::Alias,
                capitals: *capitals,
            })
            .collect();
        (name.clone(), alternatives)
    }

    /// The country concept of one syllable that names country `index`.
    fn country_concept(&self, term: QTerm, index: usize) -> Concept {
        let (name, alternatives) = self.country_names(index, &term.folded);
        let terms = vec![term];
        Concept {
            alternatives: as_strict_as(&terms, alternatives),
            terms,
            country: Some(name),
            name: false,
            capitals: false,
        }
    }

    /// Two or more countries side by side, at least one in a pair form (`Việt – Hàn`, `Việt-Nhật`,
    /// `Việt Mỹ`, `Nhật Hàn`): each is its country. Headlines name the two sides of a relation so,
    /// and a document says `Việt Nam – Hàn Quốc`. Alone the forms are common words (`hàn`, to
    /// weld; `trung`, middle), so: a syllable typed with diacritics must be the form's exact
    /// spelling (`Hán Việt` is not Korea); the forms must be capitalised, or the run must include
    /// the home country (`viet han`, typed without capitals); the run stops where a dictionary word
    /// or a longer country name begins (`Việt trung cấp`, `Mỹ Trung Quốc`); and an alias that is
    /// also a given name counts only across punctuation or a hyphen (`Việt - Anh`, not `Việt
    /// Anh`). Returns the concepts, each with the offset of the query token it came from, and the
    /// number of tokens used.
    fn country_pair(&self, terms: &[QTerm], marks: &[Mark]) -> Option<(Vec<Placed>, usize)> {
        let mark = |k: usize| marks.get(k).copied().unwrap_or_default();
        // (syllable, country, token offset, the member chosen needs a cue)
        let mut found: Vec<(QTerm, usize, usize, bool)> = Vec::new();
        let mut used = 0;
        let mut paired = false;
        let mut all_capitalised = true;
        for (k, t) in terms.iter().enumerate() {
            // `Việt-Nhật` is one joined token: its parts are the countries.
            let joined = t.exact.contains(['-', '\u{2011}']);
            let parts: Vec<QTerm> = if joined {
                t.exact
                    .split(['-', '\u{2011}'])
                    .zip(t.folded.split(['-', '\u{2011}']))
                    .map(|(exact, folded)| QTerm {
                        diacritics: exact != folded,
                        stop: false,
                        exact: exact.to_string(),
                        folded: folded.to_string(),
                    })
                    .collect()
            } else {
                vec![t.clone()]
            };
            let mut here = Vec::new();
            let mut here_paired = false;
            for (j, p) in parts.into_iter().enumerate() {
                let separated = joined && j > 0 || mark(k).boundary;
                // A form that needs no cue wins over one that does (`Nhật` is both).
                let member = self.pair_members.get(&p.folded).and_then(|ms| {
                    ms.iter()
                        .filter(|m| {
                            (!p.diacritics || m.exact == p.exact)
                                && (!m.needs_cue
                                    || separated
                                    || found.is_empty() && here.is_empty())
                        })
                        .min_by_key(|m| m.needs_cue)
                });
                match member {
                    Some(m) => {
                        here_paired |= m.pair_form;
                        here.push((p, m.country, k, m.needs_cue));
                    }
                    None => {
                        here.clear();
                        break;
                    }
                }
            }
            // The lexicon is asked only about tokens that can name a country.
            if here.is_empty() || self.starts_longer_unit(&terms[k..]) {
                break;
            }
            paired |= here_paired;
            all_capitalised &= mark(k).capitalised;
            found.extend(here);
            used = k + 1;
        }
        // An alias that needs a cue, first in the run, needs one from what follows it.
        if let (Some((first, _, _, cued)), Some(second)) = (found.first(), found.get(1)) {
            let joined = first.exact != terms[0].exact;
            if *cued && !joined && !mark(second.2).boundary {
                return None;
            }
        }
        let home = found
            .iter()
            .any(|(_, c, _, _)| self.countries[*c].0 == self.home);
        if found.len() < 2 || !paired || !(all_capitalised || home) {
            return None;
        }
        let concepts = found
            .into_iter()
            .map(|(t, c, k, _)| (self.country_concept(t, c), k))
            .collect();
        Some((concepts, used))
    }

    /// Whether a dictionary word or a country name of two or more syllables begins here.
    fn starts_longer_unit(&self, terms: &[QTerm]) -> bool {
        (2..=self.longest.min(terms.len())).any(|len| {
            let span = &terms[..len];
            let exact = span
                .iter()
                .map(|t| t.exact.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let folded = span
                .iter()
                .map(|t| t.folded.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            self.lexicon.contains(&exact) || self.country_alias.contains_key(&folded)
        })
    }

    /// Whether `span`, whose folded syllables are a name of country `c`, names it. One syllable
    /// typed with diacritics names a country only as the country spells it: `bị` (the passive
    /// marker, in `bị tấn công`) is not `Bỉ` (Belgium); typed without, it is read folded (`bi`
    /// may be either). A longer name is read folded: a wrong tone in it is more likely a slip
    /// than other words.
    fn may_name_country(&self, span: &[QTerm], c: usize) -> bool {
        match span {
            [one] if one.diacritics => self
                .country_spellings
                .get(&one.folded)
                .is_some_and(|spellings| spellings.iter().any(|(i, e)| *i == c && *e == one.exact)),
            _ => true,
        }
    }

    /// Groups syllables into concepts, longest match first.
    fn concepts(&self, terms: Vec<QTerm>, marks: Vec<Mark>) -> Vec<Concept> {
        let mut out = Vec::new();
        // The marks per syllable of `out` (a joined `Việt-Nhật` becomes two concepts).
        let mut out_marks = Vec::with_capacity(marks.len());
        let mark = |k: usize| marks.get(k).copied().unwrap_or_default();
        let mut i = 0;
        while i < terms.len() {
            if let Some((pair, used)) =
                self.country_pair(&terms[i..], marks.get(i..).unwrap_or(&[]))
            {
                for (c, k) in pair {
                    out_marks.push(mark(i + k));
                    out.push(c);
                }
                i += used;
                continue;
            }
            let mut best: Option<Concept> = None;
            for len in (1..=self.longest.min(terms.len() - i)).rev() {
                let span = &terms[i..i + len];
                let folded: Vec<&str> = span.iter().map(|t| t.folded.as_str()).collect();
                let key = folded.join(" ");
                let mut alternatives = Vec::new();
                let mut country = None;
                let named = self
                    .country_alias
                    .get(&key)
                    .filter(|&&c| self.may_name_country(span, c));
                if let Some(&c) = named {
                    let (name, aliases) = self.country_names(c, &key);
                    country = Some(name);
                    alternatives.extend(aliases);
                }
                // An acronym may be written in several tokens (`TP.HCM`, `TP HCM`): its
                // expansion belongs to the whole span.
                if !self.ambiguous.contains(&key) {
                    for e in self.acronyms.expansions(&key) {
                        alternatives
                            .push(Alternative::new(spelled(&e.join(" ")), AltKind::Expansion));
                    }
                }
                if len > 1 {
                    for a in self
                        .acronyms
                        .acronyms_of(&folded)
                        .iter()
                        .filter(|a| !self.ambiguous.contains(*a))
                    {
                        // A key in several tokens (`tp hcm`) is matched as its syllables.
                        alternatives
                            .push(Alternative::acronym(a, self.capital_acronyms.contains(a)));
                        // The acronym's other expansions say the same thing (`cách mạng công
                        // nghiệp lần thứ tư` is `cách mạng công nghiệp 4.0`).
                        for e in self.acronyms.expansions(a) {
                            let e = spelled(&e.join(" "));
                            if folded_key(&e) != key
                                && !alternatives.iter().any(|x| x.key() == folded_key(&e))
                            {
                                alternatives.push(Alternative::new(e, AltKind::Expansion));
                            }
                        }
                    }
                }
                if let Some(vi) = self.glossary.get(&key) {
                    alternatives.extend(vi.iter().cloned());
                }
                if let Some(syn) = self.synonyms.get(&key) {
                    alternatives.extend(
                        syn.iter()
                            .map(|v| Alternative::new(v.clone(), AltKind::Synonym)),
                    );
                }
                // Typed with diacritics, a word must be that word (`thăm Mỹ` is not `thẩm mỹ`).
                let exact_key = span
                    .iter()
                    .map(|t| t.exact.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let word = len > 1 && self.lexicon.contains(&exact_key);
                if !alternatives.is_empty() || country.is_some() || word || len == 1 {
                    // An alternative's synonyms are alternatives too (ATTT → an toàn thông tin →
                    // an ninh thông tin), one step deep.
                    let mut more = Vec::new();
                    for a in &alternatives {
                        if let Some(syn) = self.synonyms.get(&a.key()) {
                            more.extend(
                                syn.iter()
                                    .map(|v| Alternative::new(v.clone(), AltKind::Synonym)),
                            );
                        }
                    }
                    alternatives.extend(more);
                    let mut seen = HashSet::new();
                    alternatives.retain(|a| a.key() != key && seen.insert(a.key()));
                    // An acronym typed in capitals means the acronym.
                    let capitals = len == 1
                        && mark(i).capitals
                        && (self.capital_acronyms.contains(&key)
                            || self.ambiguous.contains(&key)
                            || country.is_some() && self.country_acronyms.contains(&key));
                    best = Some(Concept {
                        terms: span.to_vec(),
                        alternatives: as_strict_as(span, alternatives),
                        country,
                        name: false,
                        capitals,
                    });
                    break;
                }
            }
            let c = best.expect("a single syllable is always a concept");
            out_marks.extend((i..i + c.terms.len()).map(mark));
            i += c.terms.len();
            out.push(c);
        }
        merge_names(out, &out_marks, &self.family_names)
    }
}

/// The alternatives of a concept typed as `terms`: matched by their own spelling when a syllable
/// was typed with diacritics (`Nhật Bản` typed: its alias `Nhật`, never `nhất`), folded otherwise.
fn as_strict_as(terms: &[QTerm], alternatives: Vec<Alternative>) -> Vec<Alternative> {
    if terms.iter().any(|t| t.diacritics) {
        alternatives
    } else {
        alternatives.into_iter().map(Alternative::loosen).collect()
    }
}

/// What the text says about each query token (as `qterms` yields them): capital first letter,
/// punctuation before it.
fn token_marks(text: &str) -> Vec<Mark> {
    analyze(text)
        .into_iter()
        .filter(|a| a.syllable.kind != Kind::Part)
        .map(|a| {
            let token = &text[a.syllable.from..a.syllable.to];
            Mark {
                capitalised: token.chars().next().is_some_and(char::is_uppercase),
                boundary: a.syllable.boundary_before,
                capitals: token.chars().any(char::is_uppercase)
                    && !token.chars().any(char::is_lowercase),
            }
        })
        .collect()
}

/// Adjacent capitalised syllables that nothing else grouped are a name (`Mê Kông`, `Cam Ranh`,
/// `Nguyễn Xuân Phúc`): one concept, so `Hồng Kông` does not answer for `Mê Kông`. Punctuation
/// ends a name (`Hà Nội – Pháp` is two things).
///
/// A personal name goes further: a capitalised family name (`family-names.txt`) begins one, and the
/// capitalised syllables that follow are its middle and given names even when they spell a
/// dictionary word (`Phạm Bình Minh`: not `bình minh`, dawn) or a country (`Vũ Đức Đam`: not
/// Germany), up to four syllables in all, the length of nearly every Vietnamese name.
fn merge_names(
    concepts: Vec<Concept>,
    marks: &[Mark],
    family_names: &HashSet<String>,
) -> Vec<Concept> {
    const LONGEST_NAME: usize = 4;
    let mut out: Vec<Concept> = Vec::with_capacity(concepts.len());
    let mut at = 0;
    let mut prev_mergeable = false;
    let mut in_person = false;
    let mark = |k: usize| marks.get(k).copied().unwrap_or_default();
    // Where each concept starts, and its length: a family name looks at what follows it.
    let spans: Vec<(usize, usize)> = concepts
        .iter()
        .scan(0, |at, c| {
            let span = (*at, c.terms.len());
            *at += c.terms.len();
            Some(span)
        })
        .collect();
    for (index, c) in concepts.into_iter().enumerate() {
        let n = c.terms.len();
        let name_like = (at..at + n).all(|k| mark(k).capitalised)
            && c.terms
                .iter()
                .all(|t| !t.stop && t.exact.chars().all(char::is_alphabetic));
        let joins = !mark(at).boundary;
        at += n;
        let plain = c.alternatives.is_empty() && c.country.is_none();
        let mergeable = n == 1 && plain && name_like;
        // A family name begins a person when a capitalised given name follows it directly;
        // otherwise it may end a place name (`Bình Dương`, `An Giang`).
        let family = mergeable
            && family_names.contains(&c.terms[0].exact)
            && spans.get(index + 1).is_some_and(|&(next, len)| {
                !mark(next).boundary && (next..next + len).all(|k| mark(k).capitalised)
            });
        // A country's aliases may be dropped (`Đức` in a name); an acronym's expansion may not.
        let given_name = in_person
            && name_like
            && (plain || (n == 1 && c.alternatives.iter().all(|a| a.kind == AltKind::Alias)));
        let merge = joins
            && match out.last() {
                Some(last) if in_person => given_name && last.terms.len() + n <= LONGEST_NAME,
                // A family name begins a person of its own.
                Some(_) => mergeable && prev_mergeable && !family,
                None => false,
            };
        match out.last_mut() {
            Some(last) if merge => {
                last.terms.extend(c.terms);
                last.name = true;
                prev_mergeable = true;
            }
            _ => {
                in_person = family;
                prev_mergeable = mergeable;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> QueryContext {
        QueryContext::new(&Config::builtin())
    }

    fn concepts(q: &str) -> Vec<String> {
        ctx()
            .parse(q)
            .runs
            .concat()
            .iter()
            .map(|c| {
                c.terms
                    .iter()
                    .map(|t| t.exact.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn groups_words_and_country_names() {
        assert_eq!(
            concepts("an toàn thông tin Hàn Quốc"),
            ["an toàn thông tin", "hàn quốc"]
        );
    }

    #[test]
    fn groups_folded_queries_the_same_way() {
        assert_eq!(
            concepts("an toan thong tin han quoc"),
            ["an toan thong tin", "han quoc"]
        );
    }

    #[test]
    fn acronym_gets_its_expansion() {
        let plan = ctx().parse("ATTT Hàn Quốc");
        let attt = &plan.runs[0][0];
        assert!(attt
            .alternatives
            .iter()
            .any(|a| a.key() == "an toan thong tin"));
    }

    #[test]
    fn the_press_acronyms_meet_their_expansions() {
        for (acronym, expansion) in [
            ("HTX", "hợp tác xã"),
            ("BĐKH", "biến đổi khí hậu"),
            ("KH&CN", "khoa học và công nghệ"),
            ("TTXVN", "Thông tấn xã Việt Nam"),
            ("LHQ", "Liên Hiệp Quốc"),
        ] {
            let folded = hoptac_analyzer::fold(&expansion.to_lowercase());
            let plan = ctx().parse(acronym);
            assert!(
                plan.concepts()
                    .any(|c| c.alternatives.iter().any(|a| a.key() == folded)),
                "{acronym} → {expansion}"
            );
            let plan = ctx().parse(expansion);
            assert!(
                plan.concepts()
                    .any(|c| c.terms.len() > 1 && !c.alternatives.is_empty()),
                "{expansion} → {acronym}"
            );
        }
    }

    #[test]
    fn expansion_gets_its_acronym() {
        let plan = ctx().parse("an toàn thông tin");
        assert!(plan.runs[0][0]
            .alternatives
            .iter()
            .any(|a| a.key() == "attt"));
    }

    #[test]
    fn alias_gets_the_canonical_name() {
        let plan = ctx().parse("Thủ tướng thăm Mỹ");
        let my = plan.runs[0].last().unwrap();
        assert_eq!(my.country.as_deref(), Some("Hoa Kỳ"));
        assert!(my.alternatives.iter().any(|a| a.key() == "hoa ky"));
    }

    #[test]
    fn english_country_names_reach_vietnamese() {
        let plan = ctx().parse("Vietnam Japan strategic partnership");
        let all = plan.runs.concat();
        assert_eq!(all[1].country.as_deref(), Some("Nhật Bản"));
        assert!(all[2]
            .alternatives
            .iter()
            .any(|a| a.key() == "doi tac chien luoc"));
    }

    #[test]
    fn english_domain_words_reach_vietnamese_but_loanwords_stay_as_typed() {
        let plan = ctx().parse("fourth industrial revolution");
        assert!(plan
            .concepts()
            .any(|c| c.alternatives.iter().any(|a| a.key() == "cmcn 4.0")));
        let plan = ctx().parse("nuclear deal Iran");
        assert!(plan.concepts().any(|c| c
            .alternatives
            .iter()
            .any(|a| a.key() == "thoa thuan hat nhan")));
        // Vietnamese writes `metro` as it is: a Vietnamese query for it is not widened.
        let plan = ctx().parse("tuyến metro Bến Thành");
        assert!(plan.concepts().all(|c| c.alternatives.is_empty()));
    }

    fn countries_of(q: &str) -> Vec<Option<String>> {
        ctx()
            .parse(q)
            .concepts()
            .map(|c| c.country.clone())
            .collect()
    }

    #[test]
    fn two_sides_in_their_short_forms_are_two_countries() {
        let vn = Some("Việt Nam".to_string());
        let kr = Some("Hàn Quốc".to_string());
        assert_eq!(
            countries_of("hợp tác Việt - Hàn"),
            [None, vn.clone(), kr.clone()]
        );
        assert_eq!(
            countries_of("quan hệ Việt-Nhật"),
            [None, vn.clone(), Some("Nhật Bản".to_string())]
        );
        assert_eq!(
            countries_of("Việt Mỹ"),
            [vn.clone(), Some("Hoa Kỳ".to_string())]
        );
        // Typed without capitals, the home country vouches for the pair.
        assert_eq!(countries_of("hop tac viet han"), [None, vn, kr]);
    }

    #[test]
    fn a_pair_needs_the_forms_as_typed() {
        // Other diacritics: `Hán Việt` (Sino-Vietnamese), `Việt Hùng` (a name), `ăn Tết` (to eat).
        for q in [
            "từ Hán Việt",
            "ca sĩ Việt Hùng",
            "người Việt ăn Tết",
            "Triệu Việt Vương",
        ] {
            assert!(countries_of(q).iter().all(Option::is_none), "{q}");
        }
        // A dictionary word or a longer country name begins where the run would go on.
        for q in ["tiếng Việt trung cấp", "thực phẩm Việt an toàn"] {
            assert!(countries_of(q).iter().all(Option::is_none), "{q}");
        }
        assert_eq!(
            countries_of("Mỹ Trung Quốc"),
            [Some("Hoa Kỳ".to_string()), Some("Trung Quốc".to_string())]
        );
        // `Việt Anh` is a given name: `Việt` is not Việt Nam unless a dash says two sides.
        assert_eq!(countries_of("từ điển Việt Anh")[1], None);
        // `Nhật` is an alias that needs a cue and a pair form: as a pair form it needs none.
        assert_eq!(
            countries_of("quan hệ Nhật Hàn"),
            [
                None,
                Some("Nhật Bản".to_string()),
                Some("Hàn Quốc".to_string())
            ]
        );
        assert_eq!(
            countries_of("quan hệ Việt - Anh"),
            [None, Some("Việt Nam".to_string()), Some("Anh".to_string())]
        );
    }

    #[test]
    fn punctuation_and_honorifics_end_a_name() {
        assert!(countries_of("hợp tác Hà Nội – Pháp").contains(&Some("Pháp".to_string())));
        assert_eq!(
            concepts("Ông Nguyễn Xuân Phúc"),
            ["ông", "nguyễn xuân phúc"]
        );
        // A family name at the end of a place name does not begin a person.
        assert_eq!(
            concepts("doanh nghiệp Bình Dương"),
            ["doanh nghiệp", "bình dương"]
        );
    }

    #[test]
    fn a_short_form_alone_is_a_word() {
        assert_eq!(countries_of("Hàn điện"), [None, None]);
        assert_eq!(
            countries_of("trung tâm Hàn Quốc"),
            [None, Some("Hàn Quốc".to_string())]
        );
        // A given name after a family name stays a name.
        assert_eq!(countries_of("Nguyễn Việt Anh"), [None]);
    }

    #[test]
    fn quoted_phrases_and_exclusions() {
        let plan = ctx().parse("hợp tác \"an ninh mạng\" -xã");
        assert_eq!(plan.phrases.len(), 1);
        assert_eq!(plan.excluded[0][0].exact, "xã");
        assert_eq!(plan.runs.concat().len(), 1);
    }

    #[test]
    fn hyphenated_words_are_not_exclusions() {
        let plan = ctx().parse("Việt - Lào e-government");
        assert!(plan.excluded.is_empty());
    }

    #[test]
    fn unreadable_queries_do_not_fail() {
        for q in [
            "\"unclosed",
            "(((",
            "-",
            "&&&",
            "\u{0}\u{7}",
            "- - -",
            "\"\"",
        ] {
            let _ = ctx().parse(q);
        }
        assert!(ctx().parse("(((").is_empty());
        assert!(!ctx().parse("\"unclosed phrase").is_empty());
    }

    #[test]
    fn a_hyphenated_english_term_reaches_its_translation() {
        let plan = ctx().parse("e-government");
        assert!(plan.runs[0][0]
            .alternatives
            .iter()
            .any(|a| a.key() == "chinh phu dien tu"));
    }

    #[test]
    fn capitalised_syllables_form_a_name() {
        assert_eq!(
            concepts("hợp tác sông Mê Kông"),
            ["hợp tác", "sông", "mê kông"]
        );
    }

    #[test]
    fn a_given_name_that_spells_a_word_stays_in_the_name() {
        // `bình minh` (dawn) is a dictionary word; after the family name Phạm it is a given name.
        assert_eq!(
            concepts("Phó Thủ tướng Phạm Bình Minh"),
            ["phó thủ tướng", "phạm bình minh"]
        );
        assert_eq!(
            concepts("Nguyễn Thị Kim Ngân hội đàm"),
            ["nguyễn thị kim ngân", "hội đàm"]
        );
    }

    #[test]
    fn a_given_name_that_spells_a_country_is_not_the_country() {
        let plan = ctx().parse("Phó Thủ tướng Vũ Đức Đam");
        let concepts: Vec<&Concept> = plan.concepts().collect();
        assert_eq!(concepts.len(), 2);
        assert!(concepts.iter().all(|c| c.country.is_none()), "{concepts:?}");
        // Without a family name before it, Đức is Germany.
        let plan = ctx().parse("quan hệ Việt Nam Đức");
        assert!(plan.concepts().any(|c| c.country.as_deref() == Some("Đức")));
    }

    /// `bị` (is …-ed) and `Bỉ` (Belgium) fold alike: typed with its tone, the word is the word.
    #[test]
    fn a_syllable_typed_with_another_tone_is_not_the_country() {
        let plan = ctx().parse("website bị tấn công");
        assert!(plan.concepts().all(|c| c.country.is_none()), "{plan:?}");
        let plan = ctx().parse("quan hệ Việt Nam Bỉ");
        assert!(plan.concepts().any(|c| c.country.as_deref() == Some("Bỉ")));
        // Typed without diacritics the syllable may be either, and is read as the country.
        let plan = ctx().parse("bi");
        assert!(plan.concepts().any(|c| c.country.as_deref() == Some("Bỉ")));
        // Spelled as the country is, a one-token name is the country: a hyphenated one, and one
        // listed only as an acronym (`Ý`).
        for (typed, country) in [("Ma-rốc", "Morocco"), ("Ý", "Italia"), ("Mỹ", "Hoa Kỳ")] {
            let plan = ctx().parse(&format!("quan hệ Việt Nam {typed}"));
            assert!(
                plan.concepts()
                    .any(|c| c.country.as_deref() == Some(country)),
                "{typed}: {plan:?}"
            );
        }
    }

    #[test]
    fn a_name_stops_at_four_syllables_and_at_lower_case() {
        assert_eq!(
            concepts("Thủ tướng Nguyễn Xuân Phúc thăm Mỹ"),
            ["thủ tướng", "nguyễn xuân phúc", "thăm", "mỹ"]
        );
        let plan = ctx().parse("Nguyễn Thị Kim Ngân Mỹ");
        let concepts: Vec<&Concept> = plan.concepts().collect();
        assert_eq!(concepts.len(), 2, "{concepts:?}");
        assert_eq!(concepts[1].country.as_deref(), Some("Hoa Kỳ"));
    }

    #[test]
    fn country_names_are_not_merged_into_names() {
        assert_eq!(
            concepts("quan hệ Việt Nam Cuba"),
            ["quan hệ", "việt nam", "cuba"]
        );
    }

    #[test]
    fn synonyms_are_alternatives() {
        let plan = ctx().parse("ngoại trưởng ASEAN");
        assert!(plan.runs[0][0]
            .alternatives
            .iter()
            .any(|a| a.key() == "bo truong ngoai giao"));
    }

    #[test]
    fn canonical_country_from_any_spelling() {
        assert_eq!(ctx().canonical_country("han quoc"), Some("Hàn Quốc"));
        assert_eq!(ctx().canonical_country("Korea"), Some("Hàn Quốc"));
        assert_eq!(ctx().canonical_country("Mỹ"), Some("Hoa Kỳ"));
    }
}

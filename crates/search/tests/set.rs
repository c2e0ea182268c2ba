//! The result set: which documents a query is about, and the numbers read from it (`total`,
//! facet counts, pages). Checked on the bundled corpus plus documents written for the edge cases:
//! an acronym beside the everyday word it spells, aliases, a word no document says.

use std::collections::HashSet;

use hoptac_search::{Engine, Filters, SearchRequest, SearchResponse, Weights};
use hoptac_testkit::Folder;

const EXTRA: [(&str, &str); 8] = [
    (
        "my.txt",
        "Mỹ và Việt Nam ký thỏa thuận\n\nHoa Kỳ hỗ trợ Việt Nam về an toàn thông tin. Mỹ cam kết.",
    ),
    (
        "attt.txt",
        "Hội thảo ATTT Việt Nam – Hàn Quốc\n\nBộ TT&TT tổ chức hội thảo về ATTT với Hàn Quốc năm \
         2010. Hàn Quốc chia sẻ kinh nghiệm.",
    ),
    (
        "htx.txt",
        "Hợp tác xã nông nghiệp\n\nHợp tác xã kiểu mới ở Thái Bình tăng thu nhập.",
    ),
    (
        "korea.txt",
        "Korea and Vietnam\n\nThe Republic of Korea supports e-government in Vietnam.",
    ),
    (
        "ai-who.txt",
        "Ai đúng ai sai?\n\nAi đúng, ai sai trong cuộc tranh luận này? Ai cũng có lý của mình.",
    ),
    (
        "ai-tech.txt",
        "Việt Nam thúc đẩy AI\n\nCác doanh nghiệp Việt Nam ứng dụng AI trong sản xuất và dịch vụ \
         công.",
    ),
    (
        "tri-tue.txt",
        "Trí tuệ nhân tạo trong y tế\n\nBệnh viện ứng dụng trí tuệ nhân tạo để đọc phim chụp.",
    ),
    (
        "busan.txt",
        "Đoàn Việt Nam thăm Busan\n\nĐoàn công tác đến Busan, Hàn Quốc, tìm hiểu cảng biển.",
    ),
];

fn engine(dir: &Folder) -> Engine {
    for (name, text) in EXTRA {
        dir.write(name, text);
    }
    dir.engine()
}

fn search(e: &Engine, q: &str, filters: Filters) -> SearchResponse {
    let mut req = SearchRequest::text(q);
    req.limit = 100;
    req.filters = filters;
    e.search(&req).unwrap()
}

fn ids(r: &SearchResponse) -> HashSet<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn a_document_must_say_every_concept() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    let r = search(&e, "hợp tác xã", Filters::default());
    assert!(!r.relaxed);
    assert!(ids(&r).contains("htx.txt"));
    assert_eq!(r.total, r.hits.len());
    assert!(
        r.total < e.num_docs() as usize,
        "one shared syllable (hợp tác) must not make a match: {} of {}",
        r.total,
        e.num_docs()
    );
    // Every concept, by one of its ways of being said: ATTT is an toàn thông tin, Korea is Hàn Quốc.
    let r = search(&e, "an toàn thông tin Hàn Quốc", Filters::default());
    let found = ids(&r);
    assert!(found.contains("attt.txt"), "{found:?}");
    assert!(
        !found.contains("my.txt"),
        "a document about the United States is not about Korea: {found:?}"
    );
}

#[test]
fn an_acronym_never_matches_the_word_it_spells() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    for q in ["artificial intelligence", "AI"] {
        let found: HashSet<String> = ids(&search(&e, q, Filters::default()))
            .into_iter()
            .map(String::from)
            .collect();
        assert!(found.contains("ai-tech.txt"), "{q}: {found:?}");
        assert!(
            !found.contains("ai-who.txt"),
            "{q} matched ai (who): {found:?}"
        );
    }
    let found = ids(&search(&e, "artificial intelligence", Filters::default()))
        .into_iter()
        .map(String::from)
        .collect::<HashSet<_>>();
    assert!(found.contains("tri-tue.txt"), "the expansion: {found:?}");
}

#[test]
fn a_word_no_document_says_relaxes_the_set_and_says_so() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    let r = search(&e, "hợp tác xã qwzxv", Filters::default());
    assert!(r.relaxed, "{r:?}");
    let relaxation = r.relaxation.as_ref().unwrap();
    assert_eq!(relaxation.exact, 0);
    assert_eq!(relaxation.dropped, vec!["qwzxv".to_string()]);
    assert!(ids(&r).contains("htx.txt"));
    // Typed whole, the same words need no relaxing.
    assert!(!search(&e, "hợp tác xã", Filters::default()).relaxed);
}

#[test]
fn facet_counts_are_what_a_filter_then_finds() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    for q in ["hợp tác", "Việt Nam", "chính phủ điện tử"] {
        let r = search(&e, q, Filters::default());
        assert!(!r.facets.country.is_empty(), "{q}");
        for v in r.facets.country.iter().chain(&r.facets.year) {
            assert!(v.count as usize <= r.total, "{q}: {v:?} > {}", r.total);
        }
        for v in &r.facets.country {
            let narrowed = search(
                &e,
                q,
                Filters {
                    country: vec![v.value.clone()],
                    ..Filters::default()
                },
            );
            assert_eq!(narrowed.total, v.count as usize, "{q} in {}", v.value);
            // The filtered dimension keeps the counts of the set without it, so other values stay
            // offered.
            assert_eq!(
                narrowed.facets.country, r.facets.country,
                "{q} in {}",
                v.value
            );
        }
        let years: u64 = r.facets.year.iter().map(|v| v.count).sum();
        assert!(years as usize <= r.total, "a document has one year at most");
    }
}

#[test]
fn pages_neither_repeat_nor_skip_across_the_rerank_window() {
    let tmp = Folder::bundled();
    let mut e = engine(&tmp);
    e.set_weights(Weights {
        rerank_depth: 3,
        ..Weights::default()
    });
    let whole = search(&e, "Việt Nam", Filters::default());
    assert!(whole.hits.len() > 6, "{}", whole.hits.len());
    let mut paged = Vec::new();
    for offset in (0..whole.hits.len()).step_by(2) {
        let mut req = SearchRequest::text("Việt Nam");
        req.offset = offset;
        req.limit = 2;
        let page = e.search(&req).unwrap();
        assert_eq!(page.total, whole.total);
        paged.extend(page.hits.into_iter().map(|h| h.id));
    }
    let all: Vec<String> = whole.hits.into_iter().map(|h| h.id).collect();
    assert_eq!(paged, all);
}

#[test]
fn a_country_only_mentioned_is_found_when_too_few_are_about_it() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    // Strictly, `Hàn Quốc` matches the documents about Korea (its country facet); none of them says
    // `Busan`. The one that mentions Korea in passing is found, and the answer says how.
    let r = search(&e, "Busan Hàn Quốc", Filters::default());
    assert_eq!(
        ids(&r),
        HashSet::from(["busan.txt"]),
        "the documents about Korea that do not say Busan stay out"
    );
    let relaxation = r.relaxation.as_ref().expect("relaxed");
    assert_eq!(relaxation.exact, 0);
    assert!(relaxation.dropped.is_empty(), "{relaxation:?}");
    assert_eq!(relaxation.mentioned, vec!["Hàn Quốc".to_string()]);
}

#[test]
fn a_chosen_value_keeps_its_count_beyond_the_facet_limit() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    let mut req = SearchRequest::text("Việt Nam");
    req.facet_limit = 1;
    let top = e.search(&req).unwrap().facets.country;
    assert_eq!(top.len(), 1);
    let all = search(&e, "Việt Nam", Filters::default()).facets.country;
    let other = all
        .iter()
        .find(|v| v.value != top[0].value)
        .expect("a second country");
    req.filters.country = vec![other.value.clone()];
    let narrowed = e.search(&req).unwrap();
    let kept = narrowed
        .facets
        .country
        .iter()
        .find(|v| v.value == other.value)
        .unwrap_or_else(|| panic!("{} lost its count", other.value));
    assert_eq!(kept.count, other.count);
    assert_eq!(narrowed.total as u64, other.count);
}

/// Which hits a filter keeps, decided from the hit's own facet values.
type Keeps = Box<dyn Fn(&hoptac_search::Hit) -> bool>;

/// A search filtered on one dimension counts the filtered set in the pass that counts the set on
/// its text alone (the filter read from the documents' facets, not run as a query). Whatever the
/// dimension, its answer is the unfiltered set narrowed by the filter: the same documents, the
/// same total, and the other dimensions' counts taken over them.
#[test]
fn a_filter_on_one_dimension_narrows_the_set_to_the_documents_it_names() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    let all = |q: &str, filters: Filters| {
        let mut req = SearchRequest::text(q);
        req.limit = 1000;
        req.keep_reprints = true;
        req.facet_limit = 1000;
        req.filters = filters;
        e.search(&req).unwrap()
    };
    let mut checked = 0;
    for q in ["hợp tác", "Việt Nam", "an toàn thông tin"] {
        let whole = all(q, Filters::default());
        assert_eq!(
            whole.hits.len(),
            whole.total,
            "{q}: every document on one page"
        );
        let mut filters: Vec<(Filters, Keeps)> = Vec::new();
        for v in whole.facets.country.iter().take(3) {
            let value = v.value.clone();
            filters.push((
                Filters {
                    country: vec![v.value.clone()],
                    ..Filters::default()
                },
                Box::new(move |h| h.country.contains(&value)),
            ));
        }
        for v in whole.facets.ministry.iter().take(2) {
            let value = v.value.clone();
            filters.push((
                Filters {
                    ministry: vec![v.value.clone()],
                    ..Filters::default()
                },
                Box::new(move |h| h.ministry.contains(&value)),
            ));
        }
        if let Some(v) = whole.facets.topic.first() {
            let value = v.value.clone();
            filters.push((
                Filters {
                    topic: vec![v.value.clone()],
                    ..Filters::default()
                },
                Box::new(move |h| h.topic.contains(&value)),
            ));
        }
        let years: Vec<u64> = whole
            .facets
            .year
            .iter()
            .filter_map(|v| v.value.parse().ok())
            .collect();
        if let Some(&last) = years.last() {
            filters.push((
                Filters {
                    year: vec![last],
                    ..Filters::default()
                },
                Box::new(move |h| h.year == Some(last)),
            ));
        }
        if years.len() >= 3 {
            // A range leaving out the first and the last year of the set.
            let (from, to) = (years[1], years[years.len() - 2]);
            filters.push((
                Filters {
                    year_from: Some(from),
                    year_to: Some(to),
                    ..Filters::default()
                },
                Box::new(move |h| h.year.is_some_and(|y| (from..=to).contains(&y))),
            ));
        }
        for (filter, keeps) in &filters {
            let narrowed = all(q, filter.clone());
            let expected: Vec<&hoptac_search::Hit> =
                whole.hits.iter().filter(|h| keeps(h)).collect();
            let label = format!("{q} with {filter:?}");
            assert_eq!(narrowed.total, expected.len(), "{label}");
            let mut got: Vec<&str> = narrowed.hits.iter().map(|h| h.id.as_str()).collect();
            let mut want: Vec<&str> = expected.iter().map(|h| h.id.as_str()).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{label}");
            // The other dimensions are counted over the narrowed documents.
            let mut countries: std::collections::BTreeMap<&str, u64> = Default::default();
            for h in &expected {
                for c in &h.country {
                    *countries.entry(c.as_str()).or_default() += 1;
                }
            }
            if filter.country.is_empty() {
                let counted: std::collections::BTreeMap<&str, u64> = narrowed
                    .facets
                    .country
                    .iter()
                    .map(|v| (v.value.as_str(), v.count))
                    .collect();
                assert_eq!(counted, countries, "{label}");
            }
            checked += usize::from(!expected.is_empty());
        }
    }
    assert!(checked >= 10, "only {checked} filters found documents");
}

/// A search of no words (or of function words alone) is every document, newest first, with the
/// facet counts of them all — kept between searches, and made again once the index changes.
#[test]
fn a_search_of_no_words_is_every_document_newest_first_and_follows_the_index() {
    let tmp = Folder::bundled();
    let e = engine(&tmp);
    let all = |q: &str| {
        let mut req = SearchRequest::text(q);
        req.limit = 1000;
        req.keep_reprints = true;
        req.facet_limit = 1000;
        e.search(&req).unwrap()
    };
    let before = all("");
    let documents = std::fs::read_dir(tmp.corpus()).unwrap().count();
    assert_eq!(before.total, documents);
    assert_eq!(before.hits.len(), documents);
    // Newest first: by date, a document dated by its year alone at the year's start, the
    // undated last.
    let key = |h: &hoptac_search::Hit| match &h.date {
        Some(d) => format!("{:0<8}", d.replace('-', ""))
            .parse::<u64>()
            .unwrap(),
        None => h.year.unwrap_or(0) * 10_000,
    };
    let keys: Vec<u64> = before.hits.iter().map(key).collect();
    assert!(keys.iter().any(|&k| k > 0), "{keys:?}");
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");
    // The facets are those of every document, counted here from the documents' own values.
    let counted = |r: &SearchResponse| {
        let mut by_dim: [std::collections::BTreeMap<String, u64>; 4] = Default::default();
        for h in &r.hits {
            for (dim, values) in [(0, &h.country), (1, &h.ministry), (2, &h.topic)] {
                for v in values {
                    *by_dim[dim].entry(v.clone()).or_default() += 1;
                }
            }
            if let Some(y) = h.year {
                *by_dim[3].entry(y.to_string()).or_default() += 1;
            }
        }
        by_dim
    };
    let shown = |r: &SearchResponse| {
        [
            &r.facets.country,
            &r.facets.ministry,
            &r.facets.topic,
            &r.facets.year,
        ]
        .map(|values| {
            values
                .iter()
                .map(|v| (v.value.clone(), v.count))
                .collect::<std::collections::BTreeMap<String, u64>>()
        })
    };
    assert_eq!(shown(&before), counted(&before));
    assert_eq!(before.facets, e.facets(1000).unwrap());
    let ids = |r: &SearchResponse| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&all("của")), ids(&before));
    assert_eq!(ids(&all("")), ids(&before), "the same answer, kept");
    // A new document about Laos, committed: the next search counts it and its country.
    tmp.write(
        "lao.txt",
        "Việt Nam và Lào ký kết hợp tác\n\nHai nước Việt Nam và Lào ký thỏa thuận hợp tác. \
         Lào cảm ơn Việt Nam.",
    );
    tmp.index();
    e.reload().unwrap();
    let after = all("");
    assert_eq!(after.total, documents + 1);
    assert!(ids(&after).contains(&"lao.txt".to_string()));
    let laos = |r: &SearchResponse| {
        r.facets
            .country
            .iter()
            .find(|v| v.value == "Lào")
            .map_or(0, |v| v.count)
    };
    assert_eq!(laos(&after), laos(&before) + 1);
    assert_eq!(shown(&after), counted(&after));
    assert_eq!(after.facets, e.facets(1000).unwrap());
}

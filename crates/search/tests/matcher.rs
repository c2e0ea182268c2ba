//! The counting query (`Ranker::matcher`) must match exactly the documents the scoring query
//! (`Ranker::build`) matches, or facet counts would disagree with the results. Checked on the bundled
//! corpus plus documents written to hit the edge cases (aliases, acronyms, function words, bigrams
//! across concepts), for queries of every kind and with filters.

use std::collections::HashSet;
use std::path::Path;

use hoptac_indexer::write::{index_corpus, IndexOptions};
use hoptac_indexer::Config;
use hoptac_search::{Dim, Engine, Filters};
use tantivy::collector::DocSetCollector;

fn corpus(dir: &Path) {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    for entry in std::fs::read_dir(bundled).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let extra = [
        (
            "my.txt",
            "Mỹ và Việt Nam ký thỏa thuận\n\nHoa Kỳ hỗ trợ Việt Nam về an toàn thông tin.",
        ),
        (
            "attt.txt",
            "Hội thảo ATTT\n\nBộ TT&TT tổ chức hội thảo về ATTT với Hàn Quốc năm 2010.",
        ),
        (
            "stop.txt",
            "Của các và những\n\nVăn bản này chỉ có của các và những, không có gì khác.",
        ),
        (
            "htx.txt",
            "Hợp tác xã nông nghiệp\n\nHợp tác xã kiểu mới ở Thái Bình tăng thu nhập.",
        ),
        (
            "korea.txt",
            "Korea and Vietnam\n\nThe Republic of Korea supports e-government in Vietnam.",
        ),
    ];
    for (name, text) in extra {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn matcher_matches_what_the_scored_query_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    std::fs::create_dir(&docs).unwrap();
    corpus(&docs);
    index_corpus(&IndexOptions::new(&docs, &index, Config::builtin()), &()).unwrap();
    let engine = Engine::open(&index).unwrap();
    let searcher = engine.index().reader().unwrap().searcher();
    let ranker = engine.ranker();
    let korea = Filters {
        country: vec!["Hàn Quốc".into()],
        ..Filters::default()
    };
    let year = Filters {
        year_from: Some(2000),
        ..Filters::default()
    };
    let queries = [
        "an toàn thông tin Hàn Quốc",
        "an toan thong tin han quoc",
        "ATTT Hàn Quốc",
        "Mỹ",
        "Nam Hàn chính phủ điện tử",
        "Korea e-government",
        "hợp tác xã",
        "của các và những",
        "của các và những Việt Nam",
        "\"chính phủ điện tử\" -Nhật",
        "tin học hoá",
        "KH&CN TT&TT",
        "zzzz không có",
    ];
    let mut nonempty = 0;
    for q in queries {
        let plan = engine.context().parse(q);
        for (filters, except) in [
            (&Filters::default(), None),
            (&korea, None),
            (&korea, Some(Dim::Country)),
            (&year, None),
        ] {
            let scored: HashSet<_> = searcher
                .search(&*ranker.build(&plan, filters, except), &DocSetCollector)
                .unwrap();
            let matched: HashSet<_> = searcher
                .search(&*ranker.matcher(&plan, filters, except), &DocSetCollector)
                .unwrap();
            assert_eq!(scored, matched, "{q:?} with {filters:?} except {except:?}");
            nonempty += usize::from(!scored.is_empty());
        }
    }
    assert!(
        nonempty > 20,
        "the queries should match something: {nonempty}"
    );
}

//! Ranking rules on small corpora of real-looking press text: each test indexes a few documents and
//! checks that the rule puts the right one first (and, where the rule has a weight, that turning it
//! off changes the order — so the test proves the rule, not the corpus).

use std::path::Path;

use hoptac_indexer::write::{index_corpus, IndexOptions};
use hoptac_indexer::Config;
use hoptac_search::{Engine, Weights};

fn engine(dir: &Path, docs: &[(&str, &str)]) -> Engine {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, text) in docs {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let index = dir.join("index");
    index_corpus(&IndexOptions::new(&corpus, &index, Config::builtin()), &()).unwrap();
    Engine::open(&index).unwrap()
}

/// Filler so that BM25 length normalisation is comparable between documents.
const NEWS: &str =
    "Các bên nhất trí tăng cường trao đổi đoàn các cấp, thúc đẩy thương mại, đầu tư, \
                    giáo dục, văn hóa và du lịch trong thời gian tới.";

#[test]
fn a_foreign_country_in_the_query_is_demanded() {
    let tmp = tempfile::tempdir().unwrap();
    let russia = format!(
        "Quan hệ đối tác chiến lược toàn diện Việt Nam – Nga\n\nQuan hệ đối tác chiến lược toàn diện \
         Việt Nam – Nga phát triển tốt đẹp. Tổng thống Nga khẳng định quan hệ đối tác chiến lược với \
         Việt Nam. Nga và Việt Nam là đối tác chiến lược. {NEWS}"
    );
    let japan = format!(
        "Thủ tướng thăm Nhật Bản\n\nThủ tướng Nhật Bản và Thủ tướng Việt Nam hội đàm, nhất trí làm \
         sâu sắc quan hệ đối tác chiến lược Việt Nam – Nhật Bản. {NEWS}"
    );
    let mut e = engine(tmp.path(), &[("nga.txt", &russia), ("nhat.txt", &japan)]);
    let query = "quan hệ đối tác chiến lược Việt Nam Nhật Bản";
    assert_eq!(e.top_ids(query, 2).unwrap()[0], "nhat.txt");
    e.set_weights(Weights {
        country_absent: 1.0,
        coverage_floor: 1.0,
        country_facet: 0.0,
        ..Weights::default()
    });
    assert_eq!(
        e.top_ids(query, 2).unwrap()[0],
        "nga.txt",
        "without the country rules the corpus should favour the Russian story"
    );
}

#[test]
fn an_acronym_weighs_what_its_expansion_weighs() {
    let tmp = tempfile::tempdir().unwrap();
    let agency = format!(
        "Thông tấn xã Việt Nam và Tân Hoa xã ký thỏa thuận\n\nThông tấn xã Việt Nam và Tân Hoa xã \
         đã ký thỏa thuận trao đổi tin. {NEWS}"
    );
    let airline = format!(
        "Vietnam Airlines và FPT ký thỏa thuận hợp tác\n\nVietnam Airlines và FPT ký thỏa thuận hợp \
         tác chiến lược; hai bên ký thỏa thuận hợp tác về chuyển đổi số. {NEWS}"
    );
    let e = engine(tmp.path(), &[("ttxvn.txt", &agency), ("vna.txt", &airline)]);
    assert_eq!(
        e.top_ids("TTXVN ký thỏa thuận hợp tác", 2).unwrap()[0],
        "ttxvn.txt"
    );
}

#[test]
fn a_quoted_phrase_does_not_span_punctuation() {
    let tmp = tempfile::tempdir().unwrap();
    let across = format!(
        "Doanh nghiệp Việt Nam\n\nHàng hóa xuất khẩu của Việt Nam. Hàn Quốc là thị trường lớn. {NEWS}"
    );
    let phrase = format!(
        "Quan hệ với Nam Hàn\n\nThời kỳ đó, quan hệ với Nam Hàn được thúc đẩy mạnh mẽ. {NEWS}"
    );
    let e = engine(
        tmp.path(),
        &[("across.txt", &across), ("phrase.txt", &phrase)],
    );
    assert_eq!(e.top_ids("\"Nam Hàn\"", 10).unwrap(), vec!["phrase.txt"]);
    assert_eq!(
        e.top_ids("\"Việt Nam Hàn Quốc\"", 10).unwrap(),
        Vec::<String>::new(),
        "`Việt Nam. Hàn Quốc` is two sentences, not the phrase"
    );
}

//! Ranking rules on small corpora of real-looking press text: each test indexes a few documents and
//! checks that the rule puts the right one first (and, where the rule has a weight, that turning it
//! off changes the order — so the test proves the rule, not the corpus).

use hoptac_indexer::Config;
use hoptac_search::{Engine, Weights};
use hoptac_testkit::Folder;

fn engine(dir: &Folder, docs: &[(&str, &str)]) -> Engine {
    engine_with(dir, docs, Config::builtin())
}

fn engine_with(dir: &Folder, docs: &[(&str, &str)], config: Config) -> Engine {
    for (name, text) in docs {
        dir.write(name, text);
    }
    dir.engine_with(config)
}

/// Filler so that BM25 length normalisation is comparable between documents.
const NEWS: &str =
    "Các bên nhất trí tăng cường trao đổi đoàn các cấp, thúc đẩy thương mại, đầu tư, \
                    giáo dục, văn hóa và du lịch trong thời gian tới.";

#[test]
fn a_foreign_country_in_the_query_is_demanded() {
    let tmp = Folder::empty();
    let russia = format!(
        "Quan hệ đối tác chiến lược toàn diện Việt Nam – Nga\n\nQuan hệ đối tác chiến lược toàn diện \
         Việt Nam – Nga phát triển tốt đẹp. Tổng thống Nga khẳng định quan hệ đối tác chiến lược với \
         Việt Nam. Nga và Việt Nam là đối tác chiến lược. {NEWS}"
    );
    let japan = format!(
        "Thủ tướng thăm Nhật Bản\n\nThủ tướng Nhật Bản và Thủ tướng Việt Nam hội đàm, nhất trí làm \
         sâu sắc quan hệ đối tác chiến lược Việt Nam – Nhật Bản. {NEWS}"
    );
    let mut e = engine(&tmp, &[("nga.txt", &russia), ("nhat.txt", &japan)]);
    let query = "quan hệ đối tác chiến lược Việt Nam Nhật Bản";
    assert_eq!(e.top_ids(query, 2).unwrap(), vec!["nhat.txt"]);
    // The Russian story says every other word, more often; it is still not about Japan. The
    // result set decides that, whatever the ranking weights say.
    e.set_weights(Weights {
        country_absent: 1.0,
        coverage_floor: 1.0,
        country_facet: 0.0,
        ..Weights::default()
    });
    assert_eq!(e.top_ids(query, 2).unwrap(), vec!["nhat.txt"]);
    assert_eq!(
        e.top_ids("quan hệ đối tác chiến lược Việt Nam", 2).unwrap()[0],
        "nga.txt"
    );
}

#[test]
fn an_acronym_weighs_what_its_expansion_weighs() {
    let tmp = Folder::empty();
    let agency = format!(
        "Thông tấn xã Việt Nam và Tân Hoa xã ký thỏa thuận\n\nThông tấn xã Việt Nam và Tân Hoa xã \
         đã ký thỏa thuận trao đổi tin. {NEWS}"
    );
    let airline = format!(
        "Vietnam Airlines và FPT ký thỏa thuận hợp tác\n\nVietnam Airlines và FPT ký thỏa thuận hợp \
         tác chiến lược; hai bên ký thỏa thuận hợp tác về chuyển đổi số. {NEWS}"
    );
    let e = engine(&tmp, &[("ttxvn.txt", &agency), ("vna.txt", &airline)]);
    assert_eq!(
        e.top_ids("TTXVN ký thỏa thuận hợp tác", 2).unwrap()[0],
        "ttxvn.txt"
    );
}

#[test]
fn a_quoted_phrase_does_not_span_punctuation() {
    let tmp = Folder::empty();
    let across = format!(
        "Doanh nghiệp Việt Nam\n\nHàng hóa xuất khẩu của Việt Nam. Hàn Quốc là thị trường lớn. {NEWS}"
    );
    let phrase = format!(
        "Quan hệ với Nam Hàn\n\nThời kỳ đó, quan hệ với Nam Hàn được thúc đẩy mạnh mẽ. {NEWS}"
    );
    let e = engine(&tmp, &[("across.txt", &across), ("phrase.txt", &phrase)]);
    assert_eq!(e.top_ids("\"Nam Hàn\"", 10).unwrap(), vec!["phrase.txt"]);
    assert_eq!(
        e.top_ids("\"Việt Nam Hàn Quốc\"", 10).unwrap(),
        Vec::<String>::new(),
        "`Việt Nam. Hàn Quốc` is two sentences, not the phrase"
    );
}

#[test]
fn a_syllable_typed_with_diacritics_is_not_covered_by_its_folded_twin() {
    // `họp` (to meet) folds to `hop`, as `hợp` of `hợp tác` (cooperation) does: a document that
    // only cooperates does not cover a query about a meeting.
    let tmp = Folder::empty();
    let cooperation = format!(
        "Ngoại trưởng Nhật Bản: hợp tác với ASEAN\n\nNgoại trưởng Nhật Bản khẳng định tiếp tục hợp \
         tác với ASEAN. Ngoại trưởng nhấn mạnh ASEAN và Nhật Bản hợp tác chặt chẽ; ngoại trưởng \
         hoan nghênh vai trò trung tâm của ASEAN. {NEWS}"
    );
    let meeting = format!(
        "Hội nghị tại Manila\n\nCác ngoại trưởng ASEAN họp tại Manila, chuẩn bị cho hội nghị \
         cấp cao của khu vực trong tháng tới. {NEWS}"
    );
    let trade = format!("Hợp tác thương mại\n\nHai bên hợp tác về thương mại. {NEWS}");
    let energy = format!("Hợp tác năng lượng\n\nHai nước hợp tác về năng lượng. {NEWS}");
    let e = engine(
        &tmp,
        &[
            ("hop-tac.txt", &cooperation),
            ("hop.txt", &meeting),
            ("thuong-mai.txt", &trade),
            ("nang-luong.txt", &energy),
        ],
    );
    let query = "ngoại trưởng ASEAN họp";
    assert_eq!(e.top_ids(query, 2).unwrap()[0], "hop.txt");
    // Typed without diacritics, the query means either: both documents cover it.
    let both = e.top_ids("ngoai truong asean hop", 4).unwrap();
    assert!(
        both[..2].contains(&"hop.txt".to_string())
            && both[..2].contains(&"hop-tac.txt".to_string()),
        "{both:?}"
    );
}

#[test]
fn a_name_typed_with_diacritics_is_not_scored_by_its_folded_twins() {
    // `nhất` (first) folds to `nhat`, as `Nhật` (Japan) does: a sports story saying `nhất` five
    // times does not say `Nhật Bản` more than the agreement that names Japan twice.
    let tmp = Folder::empty();
    let agreement = format!(
        "Ký thỏa thuận hợp tác\n\nViệt Nam và Nhật Bản ký thỏa thuận. Nhật Bản hỗ trợ đào tạo. {NEWS}"
    );
    let match_report = format!(
        "Kết quả trận đấu\n\nĐội tuyển Nhật Bản thắng. Trận đấu hay nhất, cầu thủ xuất sắc nhất, \
         bàn thắng đẹp nhất, đội mạnh nhất, Nhật Bản nhất bảng. {NEWS}"
    );
    let e = engine(
        &tmp,
        &[
            ("thoa-thuan.txt", &agreement),
            ("bong-da.txt", &match_report),
        ],
    );
    assert_eq!(
        e.top_ids("Nhật Bản", 2).unwrap(),
        ["thoa-thuan.txt", "bong-da.txt"]
    );
}

#[test]
fn an_acronym_written_in_several_tokens_finds_its_expansion() {
    // `TP.HCM` is indexed as `tp` `hcm`; the query and the documents that spell the city out must
    // still meet, both ways.
    let tmp = Folder::empty();
    let spelled = format!(
        "Hợp tác với Thành phố Hồ Chí Minh\n\nĐoàn công tác làm việc với Thành phố Hồ Chí Minh về \
         đô thị thông minh. {NEWS}"
    );
    let abbreviated =
        format!("Hợp tác với TP.HCM\n\nĐoàn công tác làm việc với TP.HCM về giao thông. {NEWS}");
    let other = format!("Hợp tác với Hà Nội\n\nĐoàn công tác làm việc với Hà Nội. {NEWS}");
    let e = engine(
        &tmp,
        &[
            ("spelled.txt", &spelled),
            ("abbreviated.txt", &abbreviated),
            ("other.txt", &other),
        ],
    );
    for query in ["TP.HCM", "TP. HCM", "thành phố Hồ Chí Minh"] {
        let top = e.top_ids(query, 3).unwrap();
        assert!(
            top.len() >= 2
                && top[..2].contains(&"spelled.txt".to_string())
                && top[..2].contains(&"abbreviated.txt".to_string()),
            "{query}: {top:?}"
        );
    }
}

#[test]
fn a_personal_name_is_matched_whole_even_where_it_spells_a_word() {
    // `Bình Minh` after the family name Phạm is a given name, not `bình minh` (dawn).
    let name = format!(
        "Tiếp Đại sứ Nhật Bản\n\nPhó Thủ tướng Phạm Bình Minh đã tiếp Đại sứ Nhật Bản. {NEWS}"
    );
    let dawn = format!(
        "Bình minh của ông Phạm\n\nBình minh trên cảng, ông Phạm kể về nghề biển. Bình minh là \
         lúc tàu cá của ông Phạm trở về. {NEWS}"
    );
    let docs = [("name.txt", name.as_str()), ("dawn.txt", dawn.as_str())];
    let tmp = Folder::empty();
    let e = engine(&tmp, &docs);
    assert_eq!(e.top_ids("Phạm Bình Minh", 2).unwrap()[0], "name.txt");
    let tmp = Folder::empty();
    let mut config = Config::builtin();
    config.family_names.clear();
    let e = engine_with(&tmp, &docs, config);
    assert_eq!(
        e.top_ids("Phạm Bình Minh", 2).unwrap()[0],
        "dawn.txt",
        "without family names the word `bình minh` should win"
    );
}

#[test]
fn two_countries_in_their_short_forms_find_the_relation() {
    // `Việt – Hàn` in a query is Việt Nam and Hàn Quốc, as a headline writes them; `hàn` alone is
    // to weld.
    let korea = format!(
        "Việt Nam và Hàn Quốc mở rộng hợp tác\n\nViệt Nam và Hàn Quốc nhất trí mở rộng hợp tác \
         trong lĩnh vực công nghệ. {NEWS}"
    );
    let welding = format!(
        "Hợp tác đào tạo thợ hàn Việt\n\nTrường nghề Việt hợp tác đào tạo thợ hàn; thợ hàn Việt \
         được cấp chứng chỉ hàn, nghề hàn Việt thiếu người. {NEWS}"
    );
    let docs = [
        ("korea.txt", korea.as_str()),
        ("welding.txt", welding.as_str()),
    ];
    let tmp = Folder::empty();
    let e = engine(&tmp, &docs);
    for query in ["hợp tác Việt - Hàn", "hợp tác Việt-Hàn"] {
        assert_eq!(e.top_ids(query, 2).unwrap()[0], "korea.txt", "{query}");
    }
    let tmp = Folder::empty();
    let mut config = Config::builtin();
    for c in &mut config.countries.countries {
        c.pair_forms.clear();
    }
    let e = engine_with(&tmp, &docs, config);
    assert_eq!(
        e.top_ids("hợp tác Việt - Hàn", 2).unwrap()[0],
        "welding.txt",
        "without pair forms the welding story should win"
    );
}

/// A set larger than the first phase's depth, most of whose documents its terms find, is ranked
/// from the pruned first phase: the page holds only documents of the set, the one saying the query
/// best first, full; the count and the facets are the whole set's, as when it is scored whole.
#[test]
fn a_large_set_is_ranked_from_its_first_phase_and_counted_whole() {
    let tmp = Folder::empty();
    let countries = ["Hàn Quốc", "Nhật Bản", "Lào"];
    let mut docs: Vec<(String, String)> = (0..40)
        .map(|i| {
            let country = countries[i % 3];
            (
                format!("ht{i:02}.txt"),
                format!(
                    "Tin số {i}: làm việc với {country}\n\nNgày {d} tháng {m}, đoàn số {i} làm việc \
                     với {country} về hợp tác trong lĩnh vực thứ {i}, không bị hoãn. {NEWS}",
                    d = i % 28 + 1,
                    m = i % 12 + 1
                ),
            )
        })
        .collect();
    docs.extend((0..10).map(|i| (format!("khac{i}.txt"), format!("Tin khác số {i}\n\n{NEWS}"))));
    docs.push((
        "best.txt".to_string(),
        format!(
            "Hợp tác Việt Nam – Hàn Quốc\n\nHợp tác Việt Nam – Hàn Quốc: hai bên bàn hợp tác, \
             đánh giá hợp tác và ký kế hoạch hợp tác. {NEWS}"
        ),
    ));
    let docs: Vec<(&str, &str)> = docs.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut e = engine(&tmp, &docs);
    let search = |e: &Engine| {
        let mut req = hoptac_search::SearchRequest::text("hợp tác");
        req.keep_reprints = true;
        e.search(&req).unwrap()
    };
    let with = |spec: &str| Weights::default().with_overrides(spec).unwrap();
    e.set_weights(with("first_phase=0"));
    let whole = search(&e);
    e.set_weights(with("first_phase=5,rerank_depth=5"));
    let pruned = search(&e);
    assert_eq!(whole.total, 41);
    assert_eq!(pruned.total, whole.total);
    assert_eq!(
        serde_json::to_value(&pruned.facets).unwrap(),
        serde_json::to_value(&whole.facets).unwrap()
    );
    assert_eq!(pruned.hits.len(), 10);
    assert_eq!(pruned.hits[0].id, "best.txt");
    assert_eq!(whole.hits[0].id, "best.txt");
    // `bi`, typed without diacritics, is a function word (`bị`) and a country's name folded
    // (`Bỉ`): the first phase's terms are the country's alone and find none of the documents
    // saying `bị`. Those are scored whole, so that the page is full and every document counted
    // can be paged to.
    let mut req = hoptac_search::SearchRequest::text("bi");
    req.keep_reprints = true;
    req.limit = 50;
    let alone = e.search(&req).unwrap();
    assert_eq!(alone.total, 40);
    assert_eq!(alone.hits.len(), 40);
    assert!(
        pruned.hits.iter().all(|h| !h.id.starts_with("khac")),
        "a document outside the set: {:?}",
        pruned.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
}

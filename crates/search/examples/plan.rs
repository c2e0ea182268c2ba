use hoptac_search::Engine;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let e = Engine::open(std::path::Path::new(&a[1])).unwrap();
    for q in a[2..].iter() {
        println!("# {q}");
        let p = e.context().parse(q);
        for c in p.concepts() {
            println!(
                "  {:?} alts={:?} country={:?}",
                c.terms.iter().map(|t| &t.exact).collect::<Vec<_>>(),
                c.alternatives
                    .iter()
                    .map(|a| (a.folded.join(" "), a.kind))
                    .collect::<Vec<_>>(),
                c.country
            );
        }
    }
}

//! scratch: find a not-recovered run and print its log
fn main() {
    let name = std::env::args().nth(1).unwrap();
    let sc = scenarios::load(&name, &[]).unwrap();
    for rep in 0..500 {
        let r = sim_core::world::run::run_replication(&sc, sc.seed, rep, None).unwrap();
        if r.rto.is_none() {
            println!("rep {rep} onset {:?}", r.onset.map(|t| t.to_string()));
            for f in &r.flows {
                println!("  flow {} rto {:?}", f.name, f.rto.map(|d| d.to_string()));
            }
            for e in &r.log {
                println!("    {}  {:<12} {:?} {}", e.at, e.actor, e.phase, e.text);
            }
            break;
        }
    }
}

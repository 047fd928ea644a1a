//! scratch
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let sc = scenarios::load(&path, &[]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    for rep in 0..3 {
        let r =
            sim_core::world::run::run_replication(&sc, sc.seed, rep, None).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(1)
            });
        println!(
            "rep {rep}: rto {:?} rpo {} lost {} events {} digest {}",
            r.rto.map(|d| d.to_string()),
            r.rpo,
            r.lost_writes,
            r.events,
            r.digest
        );
        println!("  breakdown {:?}", r.breakdown);
        for f in &r.flows {
            println!(
                "  flow {} rto {:?} avail {:.4}",
                f.name,
                f.rto.map(|d| d.to_string()),
                f.availability
            );
        }
        for s in &r.stores {
            println!(
                "  store {} rpo {} ack {} lost {}",
                s.name, s.rpo, s.acknowledged, s.lost
            );
        }
        if rep == 0 {
            for e in &r.log {
                println!("    {}  {:<12} {:?} {}", e.at, e.actor, e.phase, e.text);
            }
        }
    }
}

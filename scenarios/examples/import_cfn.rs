fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stacks = Vec::new();
    for a in &args {
        let (region, file, params) = scenarios::import::cloudformation::parse_stack_arg(a).unwrap();
        stacks.push(scenarios::import::cloudformation::StackInput {
            region,
            text: std::fs::read_to_string(&file).unwrap(),
            label: file,
            params,
        });
    }
    let opts = scenarios::import::assemble::Options {
        name: "app".into(),
        description: "d".into(),
        tasks: Default::default(),
    };
    match scenarios::import::cloudformation::import(&stacks, &opts) {
        Ok(i) => print!("{}", i.text),
        Err(e) => {
            eprintln!("{e}");
            let infra = scenarios::import::cloudformation::read(&stacks).unwrap();
            let d = scenarios::import::assemble::assemble(infra, &opts);
            print!("{}", d.render());
        }
    }
}

//! Any bytes as an input to each importer (CloudFormation in two Regions, Step Functions, FIS, Terraform):
//! each must answer with a scenario that validates or a positioned error, never a panic or a hang.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use scenarios::import::assemble::Options;
use scenarios::import::{cloudformation, fis, stepfunctions, terraform};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).to_string();
    let options = Options { name: "fuzz".into(), description: String::new(), tasks: BTreeMap::new() };
    let stack = |region: &str, p: &str| cloudformation::StackInput {
        region: region.into(),
        label: "fuzz.yaml".into(),
        text: text.clone(),
        params: vec![("IsPrimary".into(), p.into())],
    };
    let _ = cloudformation::import(&[stack("us-east-1", "yes")], &options);
    let _ = cloudformation::import(&[stack("us-east-1", "yes"), stack("us-west-2", "no")], &options);
    let _ = stepfunctions::import("fuzz.json", &text, None, &BTreeMap::new(), None);
    let _ = fis::import("fuzz.json", &text, None);
    let _ = terraform::import("fuzz.json", &text, &options);
});

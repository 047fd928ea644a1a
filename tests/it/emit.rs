//! `drsim sweep … --shards K --emit ENGINE`: the Slurm script, Kubernetes Indexed Job, AWS Batch job
//! definition and GitHub Actions workflow it prints. Each is parsed and checked for the fields its engine
//! requires, then its shard command is run here for every index with that engine's own index variable (no
//! cluster): the merged shards must equal the unsharded sweep byte for byte, with a scenario path and `--set`
//! value that a shell must quote. `.ci/slurm-test` submits the Slurm script to a real cluster.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value;

use crate::{drsim, fails, ok, stdout, tmp};

const RUNS: &str = "60";
const SHARDS: u64 = 4;

/// A scenario file at a path with spaces, quotes, `$` and a glob character, and a `--set` value with every
/// character a shell treats specially: the emitted commands must carry both intact.
struct Awkward {
    _dir: tempfile::TempDir,
    root: PathBuf,
    args: Vec<String>,
}

fn awkward() -> Awkward {
    let dir = tmp();
    let root = dir.path().to_path_buf();
    let folder = root.join("it's a \"dir\" $HOME");
    std::fs::create_dir_all(&folder).unwrap();
    let scenario = folder.join("my sc*nario.ron");
    std::fs::write(
        &scenario,
        "(extends: \"unishop-hot-standby\", name: \"it's awkward\")",
    )
    .unwrap();
    let args = [
        scenario.to_str().unwrap(),
        "--set",
        "description=a ' b \" c $HOME d `id` e \\ f * g ; h | i & j ( k ) l -- m !",
        "--seed",
        "5",
        "--disaster",
        "region-outage",
        "--threads",
        "1",
        "--runs",
        RUNS,
    ]
    .map(String::from)
    .to_vec();
    Awkward {
        _dir: dir,
        root,
        args,
    }
}

impl Awkward {
    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    /// An output directory whose name needs quoting too.
    fn out_dir(&self, name: &str) -> String {
        self.root
            .join(format!("out {name} 'q'"))
            .to_str()
            .unwrap()
            .to_string()
    }

    /// What `--emit ENGINE` prints for this sweep in 4 shards writing to `out_dir`.
    fn emit(&self, engine: &str, out_dir: &str, extra: &[&str]) -> String {
        let shards = SHARDS.to_string();
        let mut args = vec!["sweep"];
        args.extend(self.args());
        args.extend(["--shards", &shards, "--emit", engine, "--out-dir", out_dir]);
        args.extend(extra);
        ok(&drsim(&args))
    }

    /// The results file of the same sweep, unsharded, on this machine.
    fn whole(&self) -> Vec<u8> {
        let out = self.root.join("whole.json");
        let mut args = vec!["sweep"];
        args.extend(self.args());
        args.extend(["--out", out.to_str().unwrap()]);
        ok(&drsim(&args));
        let bytes = std::fs::read(&out).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("`id` e \\\\ f"), "the --set took effect");
        bytes
    }
}

/// Runs `script` with `shell` (`sh -c` as in a container, or `bash FILE` as Slurm does) where drsim is on
/// PATH, the batch systems' index variables are cleared and then `env` set; it must succeed.
fn run_shell(shell: &str, script: &str, env: &[(&str, String)], cwd: &Path) {
    let bin = Path::new(env!("CARGO_BIN_EXE_drsim")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut cmd = Command::new(shell);
    if shell == "bash" {
        let file = cwd.join("job.sh");
        std::fs::write(&file, script).unwrap();
        cmd.arg(file);
    } else {
        cmd.arg("-c").arg(script);
    }
    for var in [
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd
        .env("PATH", path)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell} failed ({env:?}):\n{script}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `# merge: COMMAND` comment of an emitted file.
fn merge_comment(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix("# merge: "))
        .expect("a `# merge: ` line")
}

/// After the shards ran and `merge` (a shell command) ran, the merged file equals the unsharded one.
fn check_merged(a: &Awkward, out_dir: &str, merge: &str, shell: &str) {
    let merged = Path::new(out_dir).join("it-s-awkward.json");
    assert!(merge.contains("drsim merge "), "{merge}");
    run_shell(shell, merge, &[], &a.root);
    for k in 0..SHARDS {
        assert!(Path::new(out_dir).join(format!("part-{k}.json")).exists());
    }
    assert!(
        std::fs::read(&merged).unwrap() == a.whole(),
        "{} differs from the unsharded sweep",
        merged.display()
    );
}

fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn the_slurm_script_runs_each_array_task_and_merges_to_the_unsharded_sweep() {
    let a = awkward();
    for (name, first) in [("from-0", 0), ("from-1", 1)] {
        let out_dir = a.out_dir(name);
        let script = a.emit("slurm", &out_dir, &[]);
        assert!(script.starts_with("#!/bin/bash\n"), "{script}");
        assert!(script.contains("\n#SBATCH --array=0-3\n"), "{script}");
        assert!(script.contains("\n#SBATCH --cpus-per-task=1\n"), "{script}");
        // sbatch reads #SBATCH lines only before the first command.
        let lines: Vec<&str> = script.lines().collect();
        let first_command = lines
            .iter()
            .position(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap();
        let last_directive = lines
            .iter()
            .rposition(|l| l.starts_with("#SBATCH"))
            .unwrap();
        assert!(last_directive < first_command, "{script}");
        let syntax = Command::new("bash")
            .args(["-n", "-c", &script])
            .output()
            .unwrap();
        assert!(syntax.status.success(), "bash -n: {syntax:?}");
        // `sbatch --array=1-4` gives IDs 1..4 with SLURM_ARRAY_TASK_MIN=1: still shards 0..3.
        for k in 0..SHARDS {
            let env = [
                ("SLURM_ARRAY_TASK_ID", (k + first).to_string()),
                ("SLURM_ARRAY_TASK_MIN", first.to_string()),
            ];
            run_shell("bash", &script, &env, &a.root);
        }
        check_merged(&a, &out_dir, merge_comment(&script), "bash");
    }
}

#[test]
fn the_slurm_script_refuses_to_run_outside_an_array() {
    let a = awkward();
    let script = a.emit("slurm", &a.out_dir("x"), &[]);
    let out = Command::new("bash")
        .args(["-c", &script])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Slurm array task"));
}

#[test]
fn the_kubernetes_manifest_is_an_indexed_job_whose_pods_merge_to_the_unsharded_sweep() {
    let a = awkward();
    let out_dir = a.out_dir("k8s");
    let text = a.emit("k8s", &out_dir, &[]);
    let job = yaml(&text);
    assert_eq!(job["apiVersion"].as_str(), Some("batch/v1"));
    assert_eq!(job["kind"].as_str(), Some("Job"));
    let name = job["metadata"]["name"].as_str().unwrap();
    assert_eq!(name, "drsim-it-s-awkward");
    assert!(
        name.len() <= 63
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    );
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    assert_eq!(spec["completions"].as_u64(), Some(SHARDS));
    assert_eq!(spec["parallelism"].as_u64(), Some(SHARDS));
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"].as_str(), Some("Never"));
    let container = &pod["containers"][0];
    assert_eq!(container["image"].as_str(), Some("REPLACE-ME/drsim:latest"));
    assert!(text.contains("# IMAGE: REPLACE-ME/drsim:latest is a placeholder"));
    assert_eq!(
        container["volumeMounts"][0]["mountPath"].as_str(),
        Some(out_dir.as_str())
    );
    let command: Vec<&str> = container["command"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(command, ["sh", "-c"]);
    let script = container["args"][0].as_str().unwrap();
    assert!(script.contains("$JOB_COMPLETION_INDEX/4"), "{script}");
    for k in 0..SHARDS {
        run_shell(
            "sh",
            script,
            &[("JOB_COMPLETION_INDEX", k.to_string())],
            &a.root,
        );
    }
    check_merged(&a, &out_dir, merge_comment(&text), "sh");
    // --image replaces the placeholder, and the placeholder's warning goes.
    let text = a.emit("k8s", &out_dir, &["--image", "registry.example/drsim:0.1"]);
    let job = yaml(&text);
    assert_eq!(
        job["spec"]["template"]["spec"]["containers"][0]["image"].as_str(),
        Some("registry.example/drsim:0.1")
    );
    assert!(!text.contains("REPLACE-ME/drsim"), "{text}");
}

#[test]
fn the_aws_batch_definition_is_an_array_job_whose_children_merge_to_the_unsharded_sweep() {
    let a = awkward();
    let out_dir = a.out_dir("batch");
    let text = a.emit("aws-batch", &out_dir, &["--image", "123.dkr.ecr/drsim:1"]);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let def = &doc["jobDefinition"];
    assert_eq!(def["type"], "container");
    assert_eq!(def["jobDefinitionName"], "drsim-it-s-awkward");
    let container = &def["containerProperties"];
    assert_eq!(container["image"], "123.dkr.ecr/drsim:1");
    assert_eq!(
        container["mountPoints"][0]["containerPath"],
        out_dir.as_str()
    );
    let command = container["command"].as_array().unwrap();
    assert_eq!(command[..2], ["sh", "-c"]);
    let script = command[2].as_str().unwrap();
    assert!(script.contains("$AWS_BATCH_JOB_ARRAY_INDEX/4"), "{script}");
    let array = &doc["arrayJob"];
    assert_eq!(array["arrayProperties"]["size"], SHARDS);
    assert_eq!(array["jobDefinition"], def["jobDefinitionName"]);
    assert!(array["jobQueue"].is_string());
    let merge_job = &doc["mergeJob"];
    assert!(merge_job["dependsOn"][0]["jobId"].is_string());
    assert_eq!(merge_job["jobDefinition"], def["jobDefinitionName"]);
    for k in 0..SHARDS {
        run_shell(
            "sh",
            script,
            &[("AWS_BATCH_JOB_ARRAY_INDEX", k.to_string())],
            &a.root,
        );
    }
    let merge = merge_job["containerOverrides"]["command"][2]
        .as_str()
        .unwrap();
    check_merged(&a, &out_dir, merge, "sh");
    // Without --image, a placeholder that says so.
    let text = a.emit("aws-batch", &out_dir, &[]);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["jobDefinition"]["containerProperties"]["image"],
        "REPLACE-ME/drsim:latest"
    );
    assert!(doc["_comment"].to_string().contains("is a placeholder"));
}

#[test]
fn the_github_workflow_is_a_matrix_whose_jobs_merge_to_the_unsharded_sweep() {
    let a = awkward();
    let out_dir = a.out_dir("gh");
    let text = a.emit("github", &out_dir, &[]);
    let flow = yaml(&text);
    assert!(!flow["on"].is_null(), "{text}");
    let shard = &flow["jobs"]["shard"];
    let matrix: Vec<u64> = shard["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(matrix, (0..SHARDS).collect::<Vec<_>>());
    let merge = &flow["jobs"]["merge"];
    assert_eq!(merge["needs"].as_str(), Some("shard"));
    let run_of = |job: &Value, needle: &str| -> String {
        job["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            .find(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no step runs {needle}"))
            .to_string()
    };
    let sweep = run_of(shard, "drsim sweep");
    assert!(
        sweep.contains("--shard \"${{ matrix.shard }}/4\""),
        "{sweep}"
    );
    for k in 0..SHARDS {
        // GitHub substitutes the expression before the shell runs.
        let script = sweep.replace("${{ matrix.shard }}", &k.to_string());
        run_shell("bash", &script, &[], &a.root);
    }
    check_merged(&a, &out_dir, &run_of(merge, "drsim merge"), "bash");
}

#[test]
fn builtin_sweeps_emit_for_every_engine() {
    for engine in ["slurm", "k8s", "aws-batch", "github"] {
        let res = drsim(&[
            "sweep",
            "pilot-light",
            "--runs",
            "1000",
            "--shards",
            "8",
            "--emit",
            engine,
        ]);
        let text = ok(&res);
        assert!(
            text.contains("drsim sweep pilot-light --runs 1000 --shard "),
            "{engine}: {text}"
        );
        assert!(
            text.contains("drsim merge ") && text.contains("part-*.json"),
            "{engine}: {text}"
        );
    }
}

/// `args` after `sweep` fail with exit 2, print nothing on stdout, and say `expect`.
fn check_usage_error(args: &[&str], expect: &str) {
    let mut all = vec!["sweep"];
    all.extend(args);
    let res = drsim(&all);
    let err = fails(&res, 2);
    assert!(err.contains(expect), "{args:?}: {err}");
    assert_eq!(stdout(&res), "", "{args:?}");
}

#[test]
fn emit_usage_errors() {
    let dir = tmp();
    let out = dir.path().join("x.json");
    let out = out.to_str().unwrap();
    let e = ["unishop-hot-standby", "--runs", "40"];
    let with = |extra: &[&'static str]| [&e[..], extra].concat();
    check_usage_error(&with(&["--emit", "slurm"]), "--shards");
    check_usage_error(
        &with(&["--shards", "4", "--shard", "0/4", "--emit", "slurm"]),
        "cannot be used with",
    );
    check_usage_error(
        &[
            &with(&["--shards", "4", "--emit", "slurm", "--out"])[..],
            &[out],
        ]
        .concat(),
        "cannot be used with '--out",
    );
    check_usage_error(
        &with(&["--shards", "4", "--emit", "slurm", "--json"]),
        "cannot be used with",
    );
    check_usage_error(
        &with(&["--shards", "4", "--emit", "nomad"]),
        "possible values",
    );
    check_usage_error(&with(&["--image", "x"]), "--emit");
    check_usage_error(&with(&["--shards", "4", "--out-dir", "d"]), "--emit");
    check_usage_error(
        &with(&["--shards", "4", "--emit", "slurm", "--image", "x"]),
        "--image is for --emit k8s and --emit aws-batch",
    );
    check_usage_error(&with(&["--shards", "0", "--emit", "slurm"]), "--shards 0");
    check_usage_error(&with(&["--shards", "257", "--emit", "github"]), "256");
    check_usage_error(
        &with(&["--shards", "1", "--emit", "aws-batch"]),
        "2 to 10000",
    );
    check_usage_error(
        &with(&["--shards", "4", "--emit", "k8s", "--out-dir", "relative"]),
        "absolute path",
    );
    check_usage_error(
        &with(&[
            "--shards",
            "4",
            "--emit",
            "github",
            "--set",
            "description=${{ secrets.X }}",
        ]),
        "expression",
    );
    check_usage_error(
        &with(&[
            "--shards",
            "4",
            "--emit",
            "slurm",
            "--set",
            "description=a\nb",
        ]),
        "cannot carry safely",
    );
    check_usage_error(
        &with(&["--shards", "4", "--emit", "k8s", "--image", ""]),
        "cannot be empty",
    );
    // The scenario, --set and --disaster are checked now, not on the cluster.
    check_usage_error(
        &with(&["--shards", "4", "--emit", "slurm", "--disaster", "nope"]),
        "nope",
    );
    check_usage_error(
        &["no-such-scenario", "--shards", "4", "--emit", "k8s"],
        "no-such-scenario",
    );
    check_usage_error(
        &[
            "pilot-light",
            "--runs",
            "0",
            "--shards",
            "4",
            "--emit",
            "k8s",
        ],
        "--runs",
    );
}

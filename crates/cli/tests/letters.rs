//! `gennemgang letter` on the real binary: the sample decision letter as PDF and as MeMo, the same bytes
//! on every run, and bad requests refused with exit 2 naming the argument.

mod common;

use common::{run, stderr, stdout};

fn letter(dir: &std::path::Path, name: &str, args: &[&str]) -> (std::process::Output, Vec<u8>) {
    let out = dir.join(name);
    let mut all = vec!["letter", "--output", out.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    let o = run(&all);
    let bytes = std::fs::read(&out).unwrap_or_default();
    (o, bytes)
}

/// Acts on a case of Gladsaxe (159) as `who` on `today`; the action must be accepted.
fn act_in_159(db: &str, case: &str, who: (&str, &str), today: &str, action: &str) {
    let o = run(&[
        "act",
        "--database",
        db,
        "--case",
        case,
        "--user",
        who.0,
        "--role",
        who.1,
        "--municipality",
        "159",
        "--today",
        today,
        "--action",
        action,
    ]);
    assert!(o.status.success(), "{action}: {}", stderr(&o));
}

/// A database of `n` imported cases in Gladsaxe (159) with its caseworker `sb` and team lead `leder`.
fn gladsaxe_cases(dir: &std::path::Path, n: u32) -> String {
    let db = format!("sqlite://{}", dir.join("c.db").display());
    let csv = dir.join("t.csv");
    let mut rows = String::from("cpr,included,area_id,municipality_code,awarded_on,as_of\n");
    for i in 1..=n {
        rows.push_str(&format!("610580{:04},true,A1,159,2015-01-01,2026-12-01\n", 1000 + i));
    }
    std::fs::write(&csv, rows).expect("csv");
    assert!(run(&["import", "--database", &db, "--screening", csv.to_str().expect("utf-8")]).status.success());
    common::put_caseworker(&db, "sb", "159");
    common::put_user(&db, "leder", "home_team_lead", "159");
    db
}

#[test]
fn the_sample_decision_letter_as_pdf_and_memo() {
    let dir = tempfile::tempdir().expect("tmp");
    let args = [
        "--kind",
        "decision-revocation",
        "--sample",
        "--format",
        "pdf",
        "--channel",
        "physical",
        "--sent",
        "2026-12-22",
    ];
    let (o, pdf) = letter(dir.path(), "a.pdf", &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000);
    assert!(stderr(&o).contains("complaint deadline 2027-02-01"), "{}", stderr(&o));
    let (_, again) = letter(dir.path(), "b.pdf", &args);
    assert_eq!(pdf, again, "same letter, same bytes");
    let (o, memo) = letter(
        dir.path(),
        "a.xml",
        &["--kind", "decision-revocation", "--sample", "--format", "memo", "--sent", "2027-03-19"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let memo = String::from_utf8(memo).expect("utf-8");
    assert!(memo.contains("xmlns:memo=\"https://DigitalPost.dk/MeMo-1\""));
    assert!(memo.contains("<memo:legalNotification>true</memo:legalNotification>"));
    assert!(memo.contains("<memo:recipientID>6105801001</memo:recipientID>"));
    assert!(memo.contains("<memo:encodingFormat>application/pdf</memo:encodingFormat>"));
}

#[test]
fn bad_letter_requests_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let (o, bytes) = letter(dir.path(), "x.pdf", &["--kind", "brev", "--sample", "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--kind: \"brev\" is not one of summons"), "{}", stderr(&o));
    assert!(bytes.is_empty());
    let (o, _) =
        letter(dir.path(), "x.xml", &["--kind", "summons", "--sample", "--format", "memo", "--channel", "physical"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("physical letter is printed"), "{}", stderr(&o));
    // A stored case that is not at the step of the letter.
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let csv = dir.path().join("t.csv");
    std::fs::write(
        &csv,
        "cpr,included,area_id,municipality_code,awarded_on,as_of\n6105801001,true,A1,159,2015-01-01,2026-12-01\n",
    )
    .expect("csv");
    assert!(run(&["import", "--database", &db, "--screening", csv.to_str().expect("utf-8")]).status.success());
    let (o, bytes) = letter(
        dir.path(),
        "y.pdf",
        &["--kind", "decision-revocation", "--case", "1", "--database", &db, "--format", "pdf"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("der er ikke truffet afgørelse om frakendelse"), "{}", stderr(&o));
    assert!(bytes.is_empty());
}

#[test]
fn a_senders_file_gives_the_municipality_its_own_name_and_cvr() {
    let dir = tempfile::tempdir().expect("tmp");
    let senders = dir.path().join("senders.toml");
    let entry = |cvr: &str| {
        format!(
            "[[municipality]]\ncode = 101\nname = \"Testby Kommune\"\ndepartment = \"Pensionsteamet\"\ncvr = \"{cvr}\"\naddress = \"Torvet 1, 9999 Testby\"\nphone = \"11 22 33 44\"\nemail = \"pension@testby.example\"\n"
        )
    };
    std::fs::write(&senders, entry("12345678")).expect("write");
    let args = [
        "--kind",
        "decision-revocation",
        "--sample",
        "--format",
        "memo",
        "--sent",
        "2027-03-19",
        "--senders",
        senders.to_str().expect("utf-8"),
    ];
    let (o, memo) = letter(dir.path(), "a.xml", &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let memo = String::from_utf8(memo).expect("utf-8");
    assert!(
        memo.contains("<memo:senderID>12345678</memo:senderID>")
            && memo.contains("<memo:label>Testby Kommune</memo:label>"),
        "{memo}"
    );
    std::fs::write(&senders, entry("1234567")).expect("write");
    let (o, _) = letter(dir.path(), "b.xml", &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("municipality[0].cvr: \"1234567\" is not 8 digits"), "{}", stderr(&o));
    // A file that names other municipalities but not the sender's: no letter with made-up details.
    std::fs::write(&senders, entry("12345678").replace("code = 101", "code = 159")).expect("write");
    let (o, bytes) = letter(dir.path(), "c.xml", &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--senders: kommune 101 har ingen kontaktoplysninger"), "{}", stderr(&o));
    assert!(bytes.is_empty());
}

#[test]
fn letters_renders_one_kind_for_every_case_at_that_step() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let csv = dir.path().join("t.csv");
    std::fs::write(
        &csv,
        "cpr,included,area_id,municipality_code,awarded_on,as_of\n6105801001,true,A1,159,2015-01-01,2026-12-01\n6105801002,true,A1,159,2015-01-01,2026-12-01\n",
    )
    .expect("csv");
    assert!(run(&["import", "--database", &db, "--screening", csv.to_str().expect("utf-8")]).status.success());
    let act =
        |case: &str, user: &str, role: &str, action: &str| act_in_159(&db, case, (user, role), "2026-12-01", action);
    common::put_caseworker(&db, "sb", "159");
    common::put_user(&db, "leder", "home_team_lead", "159");
    act("1", "leder", "home_team_lead", r#"{"action":"assign","caseworker":"sb"}"#);
    act("1", "sb", "home_caseworker", r#"{"action":"summon","interview_on":"2030-01-10"}"#);
    let out = dir.path().join("breve");
    let o = run(&[
        "letters",
        "--database",
        &db,
        "--kind",
        "summons",
        "--output",
        out.to_str().expect("utf-8"),
        "--sent",
        "2026-12-01",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["sag-1-summons-2026-12-01.pdf"], "only the summoned case");
    // A folder that is not empty is refused rather than mixed.
    let o = run(&["letters", "--database", &db, "--kind", "summons", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2)); // A batch dated after today, or before the step it belongs to, is refused before any letter is written.
    let later = dir.path().join("senere");
    let later_arg = later.to_str().expect("utf-8");
    for (sent, why) in [("2099-01-02", "ligger efter i dag"), ("2026-11-30", "ligger før udsøgningen")] {
        let o = run(&["letters", "--database", &db, "--kind", "summons", "--output", later_arg, "--sent", sent]);
        assert_eq!(o.status.code(), Some(2), "{sent}");
        assert!(stderr(&o).contains("--sent: case 1: ") && stderr(&o).contains(why), "{}", stderr(&o));
        assert_eq!(std::fs::read_dir(&later).map_or(0, Iterator::count), 0, "nothing written");
    }
    // The municipality's own contact details, as `letter --senders` takes them; a bad file is refused first.
    let senders = dir.path().join("senders.toml");
    std::fs::write(
        &senders,
        "[[municipality]]\ncode = 159\nname = \"Testby Kommune\"\ndepartment = \"Pensionsteamet\"\ncvr = \"12345678\"\naddress = \"Torvet 1, 9999 Testby\"\nphone = \"11 22 33 44\"\nemail = \"pension@testby.example\"\n",
    )
    .expect("write");
    let memo = dir.path().join("memo");
    let args = ["letters", "--database", &db, "--kind", "summons", "--format", "memo", "--senders"];
    let o = run(&[&args[..], &[senders.to_str().expect("utf-8"), "--output", memo.to_str().expect("utf-8")]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_dir(&memo).expect("folder").next().expect("a letter").expect("entry").path();
    assert!(std::fs::read_to_string(written).expect("memo").contains("<memo:label>Testby Kommune</memo:label>"));
    std::fs::write(&senders, "[[municipality]]\ncode = 159\n").expect("write");
    let refused = dir.path().join("afvist");
    let o =
        run(&[&args[..], &[senders.to_str().expect("utf-8"), "--output", refused.to_str().expect("utf-8")]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!refused.exists(), "refused before the folder is made");
}

/// A case whose own steps the batch's date does not fit (here summoned after it) is named and the others
/// are written: it never stops the batch (found by an outside attack, where it stopped every letter).
#[test]
fn a_case_the_batch_date_does_not_fit_is_named_and_the_others_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = gladsaxe_cases(dir.path(), 2);
    for (case, day) in [("1", "2026-12-01"), ("2", "2026-12-03")] {
        act_in_159(&db, case, ("leder", "home_team_lead"), day, r#"{"action":"assign","caseworker":"sb"}"#);
        act_in_159(&db, case, ("sb", "home_caseworker"), day, r#"{"action":"summon","interview_on":"2030-01-10"}"#);
    }
    let out = dir.path().join("breve");
    let o = run(&[
        "letters",
        "--database",
        &db,
        "--kind",
        "summons",
        "--sent",
        "2026-12-02",
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("case 2: not rendered: --sent: "), "{}", stderr(&o));
    assert!(stdout(&o).contains("rendered 1 of 2 letters"), "{}", stdout(&o));
    let files: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["sag-1-summons-2026-12-02.pdf"]);
}

#[test]
fn the_help_names_every_kind_of_letter() {
    let help = stdout(&run(&["letter", "--help"])).replace("\n", " ").replace("  ", " ");
    for kind in gennemgang_case::letter::LetterKind::ALL {
        assert!(help.contains(kind.name()), "{} missing from: {help}", kind.name());
    }
}

/// A batch never stops at one case: each case whose letter cannot be made is named, the others are
/// written, and the run ends with exit 1. (The case that fails here holds a 40,000-character word, past
/// the PDF format's longest string; when letters learn to break such words, give it another fault.)
#[test]
fn a_batch_names_each_case_it_could_not_render_and_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = gladsaxe_cases(dir.path(), 3);
    let act = |case: &str, user: &str, role: &str, today: &str, action: &str| {
        act_in_159(&db, case, (user, role), today, action)
    };
    // Case 2's ground is a text no letter could hold before: an unbroken token far past the PDF string
    // limit, Arabic and an emoji. Its letter renders, but is too large for the file-size limit the batch
    // runs under (a disk that fills up halfway): it is named, and the others are written.
    let long = format!("{} 😀 الظهر", "x".repeat(40_000));
    for case in ["1", "2", "3"] {
        act(case, "leder", "home_team_lead", "2026-12-01", r#"{"action":"assign","caseworker":"sb"}"#);
        act(
            case,
            "sb",
            "home_caseworker",
            "2026-12-01",
            r#"{"action":"record_evidence","source":"income_register","summary":"Løn","obtained_on":"2026-12-01"}"#,
        );
        for source in ["pension_case", "other_administration", "public_activity", "criminal_record"] {
            let mark = format!(r#"{{"action":"mark_not_relevant","source":"{source}","reason":"Ikke relevant."}}"#);
            act(case, "sb", "home_caseworker", "2026-12-01", &mark);
        }
        act(case, "sb", "home_caseworker", "2026-12-01", r#"{"action":"summon","interview_on":"2026-12-02"}"#);
        act(case, "sb", "home_caseworker", "2026-12-02", r#"{"action":"hold_interview","journal_note":"Holdt."}"#);
        let ground = if case == "2" { long.as_str() } else { "Løn i indkomstregistret." };
        let assess = format!(r#"{{"action":"assess_reopen","ground":"{ground}","evidence":[0]}}"#);
        act(case, "sb", "home_caseworker", "2026-12-02", &assess);
    }
    // The folder is a tmpfs of 80 KiB in a mount namespace of its own (`unshare -r -m`, no privilege
    // needed), and one worker (`taskset`): case 1 (32 KiB in pages) fits, case 2 (76 KiB) does not, and
    // case 3 fits in what case 2's staged file gave back.
    let out = dir.path().join("breve");
    std::fs::create_dir(&out).expect("mount point");
    let o = std::process::Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", r#"mount -t tmpfs -o size=80k tmpfs "$1" && shift && exec "$@""#, "sh"])
        .arg(&out)
        .args(["taskset", "-c", "0", env!("CARGO_BIN_EXE_gennemgang")])
        .args(["letters", "--database", &db, "--kind", "reopening", "--sent", "2026-12-02", "--output"])
        .arg(&out)
        .output()
        .expect("unshare (util-linux) runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("case 2: not rendered: writing sag-2-reopening-2026-12-02.pdf"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("case 1:") && !stderr(&o).contains("case 3:"), "{}", stderr(&o));
    assert!(stdout(&o).contains("rendered 2 of 3 letters"), "{}", stdout(&o));
    // With room, the long letter is written too, with the others.
    let all = dir.path().join("alle");
    let o = run(&[
        "letters",
        "--database",
        &db,
        "--kind",
        "reopening",
        "--sent",
        "2026-12-02",
        "--output",
        all.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("rendered 3 of 3 letters"), "{}", stdout(&o));
    let mut files: Vec<String> = std::fs::read_dir(&all)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["sag-1-reopening-2026-12-02.pdf", "sag-2-reopening-2026-12-02.pdf", "sag-3-reopening-2026-12-02.pdf"],
        "no staging left behind"
    );
    let out = all;
    // A letter holds a CPR number: its file is readable by its owner only.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(out.join(&files[0])).expect("meta").permissions());
    assert_eq!(mode & 0o777, 0o600);
}

/// An output that is a device or a FIFO is refused and left as it is, never replaced by a file holding a
/// CPR number; a written letter is readable by its owner only.
#[test]
fn an_output_that_is_not_a_regular_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("brev.pdf");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let letter = |output: &std::path::Path| {
        run(&[
            "letter",
            "--kind",
            "summons",
            "--sample",
            "--format",
            "pdf",
            "--output",
            output.to_str().expect("utf-8"),
        ])
    };
    let o = letter(&fifo);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a regular file"), "{}", stderr(&o));
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&std::fs::metadata(&fifo).expect("meta").file_type()));
    let o = letter(std::path::Path::new("/dev/null"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let plain = dir.path().join("indkaldelse.pdf");
    let o = letter(&plain);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&plain).expect("meta").permissions());
    assert_eq!(mode & 0o777, 0o600);
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").map(|e| e.expect("e").file_name()).collect();
    assert_eq!(left.len(), 2, "no staging file left behind: {left:?}");
}

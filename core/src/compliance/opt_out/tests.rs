//! The detector's phrase tests and the lexicon data checks.

use super::*;

/// Voicemails that revoke consent, with the family expected to match.
const POSITIVE: &[(&str, &str)] = &[
    ("you people won't stop calling me", "stop_contacting"),
    ("you guys never stop texting me its so annoying", "stop_contacting"),
    // the three phrases the issue names
    ("stop calling me", "stop_contacting"),
    ("take me off your list", "remove_from_list"),
    ("don't call this number", "do_not_contact"),
    // bare keywords
    ("STOP", "bare_keyword"),
    ("Unsubscribe.", "bare_keyword"),
    ("opt out", "bare_keyword"),
    ("stop please", "bare_keyword"),
    ("STOP ALL", "bare_keyword"),
    ("arrêt", "bare_keyword"),
    ("um cancel thank you", "bare_keyword"),
    ("\u{1F64F} STOP \u{1F64F}", "bare_keyword"),
    // stop_contacting
    (
        "hi um this is uh mike from twenty two oak street please stop calling me i am not interested",
        "stop_contacting",
    ),
    ("i am not interested stop calling", "stop_contacting"),
    ("please stop texting this number", "stop_contacting"),
    ("quit calling", "stop_contacting"),
    ("uh yeah you have the wrong number stop calling", "stop_contacting"),
    ("why don't you stop calling me", "stop_contacting"),
    ("no no no stop calling me", "stop_contacting"),
    ("\"stop calling me\"", "stop_contacting"),
    (
        "i said \u{201C}stop calling me\u{201D} last week and you called again",
        "stop_contacting",
    ),
    ("i don't care what the deal is stop calling", "stop_contacting"),
    ("you guys need to stop with the robo calls", "stop_contacting"),
    ("these calls have got to stop", "stop_contacting"),
    ("cease and desist", "stop_contacting"),
    (
        "this is like the fifth time uh stop sending me texts about the promo",
        "stop_contacting",
    ),
    ("cancel these text messages", "stop_contacting"),
    ("i asked you to stop calling me", "stop_contacting"),
    ("STOP CALLING ME!!! \u{1F621}\u{1F621}", "stop_contacting"),
    // do_not_contact
    (
        "this is the third time you guys called um please do not call this number again",
        "do_not_contact",
    ),
    ("never call me again", "do_not_contact"),
    ("i don't want any more text messages from you guys", "do_not_contact"),
    ("i dont want to be contacted again", "do_not_contact"),
    ("can you please not call me anymore", "do_not_contact"),
    ("don\u{2019}t contact me", "do_not_contact"),
    ("don t text me again", "do_not_contact"),
    ("dont bother calling me back i found another plumber", "do_not_contact"),
    ("i don't know who this is don't call me", "do_not_contact"),
    ("um... Do NOT call me!!! \u{1F621}", "do_not_contact"),
    ("i dont want you calling me", "do_not_contact"),
    // remove_from_list
    (
        "yeah hi uh i don't know how you got this number but please take me off your calling list thank you",
        "remove_from_list",
    ),
    ("remove my number from your calling list", "remove_from_list"),
    ("put me on your do not call list", "remove_from_list"),
    ("add me to your do not call list right now", "remove_from_list"),
    ("i'm on the do not call registry why do you keep calling", "remove_from_list"),
    ("i want to be removed from your list", "remove_from_list"),
    ("i've told you people three times take me off your list", "remove_from_list"),
    ("can you take me off please", "remove_from_list"),
    // the other families
    ("hey it's linda uh i want to unsubscribe from these messages", "unsubscribe"),
    ("i would like to opt out of all text messages from your company", "opt_out"),
    ("please opt me out", "opt_out"),
    ("i'm calling to revoke my consent to be contacted", "revoke_consent"),
    ("i withdraw my permission for you to text me", "revoke_consent"),
    ("i do not consent to these calls", "revoke_consent"),
    ("i no longer consent to receiving calls", "revoke_consent"),
    ("i never gave you permission to call me", "revoke_consent"),
    ("please just leave me alone", "leave_alone"),
    ("why do you keep calling me leave me alone", "leave_alone"),
    ("no more calls please i already hired someone", "no_more_contact"),
    ("i'm not interested please don't call", "do_not_contact"),
    ("don't you dare call me again", "do_not_contact"),
    ("i want off your list", "remove_from_list"),
    ("how do i get off your list", "remove_from_list"),
    ("quit bugging me", "stop_contacting"),
    ("lose my number", "lose_number"),
    ("please delete my number", "lose_number"),
];

/// Ordinary voicemails, including the negation and quoting cases.
const NEGATIVE: &[&str] = &[
    "you dont need to stop calling me i like the reminders",
    "",
    "   ...   ",
    "i need to cancel my appointment for tuesday",
    "hi this is pam um i need to cancel the service call for tomorrow",
    "the leak won't stop",
    "it doesn't stop beeping",
    "we'll need it done by the end of the month",
    "at the end of the day i just want it fixed",
    "my furnace quit working last night",
    "the toilet won't stop running",
    "we want to remove the old water heater",
    "please take the old unit off the list of things to do",
    "can you stop by tomorrow",
    "stop by anytime",
    "call me back to schedule",
    "the alarm keeps going off can you make it stop",
    "please don't stop calling me",
    "i'm not asking you to stop calling",
    "you can call me anytime, no need to take me off the list",
    "my wife said \"stop calling\" but i do want the quote",
    "he texted me \u{201C}please stop texting\u{201D} lol anyway call me back",
    "i want to quit my gym contract",
    "hi uh this is jim at four twenty elm i need somebody to come look at my ac it stopped cooling",
    "if you don't call me back by friday i'll go with someone else",
    "you guys never call me back",
    "please don't call me before nine am i work nights",
    "why don't you call me back when you get a chance",
    "i don't want to cancel my appointment i just need to move it",
    "i'll stop calling around and just go with you guys",
    "i opted out of the extended warranty but i still need a tune up",
    "the other company won't stop calling me so i'd like to switch to you",
    "please remove the tree stump from the back yard",
    "can you stop the water from leaking into the garage",
    "don't forget to bring the invoice",
    "i didn't mean to hang up please call me back",
    "no i didn't say stop calling i said call me back",
    "can you guys end the job early on friday",
    "i'm at the end of my rope with this leak",
    "i need to take my name off the waiting list for the install",
    "i don't want you to stop calling me i just missed you",
    "don't call me until after five i'm at work",
    "Bonjour, je voudrais un rendez-vous \u{1F642} à 15h \u{2014} merci \u{260E}\u{FE0F}",
    "\u{1F4DE}\u{1F4DE} ¿puede llamarme mañana? ñandú café",
    "like um uh",
    "i don't want the calls to stop",
    "i want to unsubscribe from the maintenance plan",
    "we'd like to cancel the reminders for my old appointment",
    "you guys don't call me back",
    "i don't call people back",
    "i'm gonna stop calling you guys and go with someone else",
    "my wife said \"don't call me\"",
];

#[test]
fn vocabulary_has_unique_normalized_spellings() {
    let lex = Lexicon::parse(LEXICON_JSON).expect("core/data/opt_out_lexicon.json compiles");
    let file: LexiconFile = serde_json::from_str(LEXICON_JSON).expect("json");
    let forms: Vec<(&String, &String)> = file
        .vocabulary
        .iter()
        .flat_map(|g| &g.entries)
        .flat_map(|e| e.iter().map(move |f| (f, &e[0])))
        .collect();
    assert!(forms.len() > 500, "the whole vocabulary is read");
    assert!(
        forms.len() * 2 < lex.table.len(),
        "the table stays under half full"
    );
    for (form, c) in forms {
        assert!(
            form == "#"
                || form == "do_not"
                || form == "neg"
                || form
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{form}"
        );
        assert_eq!(canon(c), c, "canonical {c} must map to itself");
        assert_eq!(canon(form), c, "{form}");
    }
    // Every class the grammar asks about has words, `also` expanded.
    assert!(is(Class::Filler, "please"), "filler includes soft");
    assert!(is(Class::BareFiller, "guys"), "bare_filler includes filler");
    assert!(is(Class::CourtesyOrEnd, END));
    assert!(!is(Class::Soft, "guys"));
    assert!(lex.classes.iter().all(|c| !c.is_empty()));
}

#[test]
fn bad_lexicon_data_is_refused_with_a_reason() {
    let good: serde_json::Value = serde_json::from_str(LEXICON_JSON).expect("json");
    let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        edit(&mut v);
        Lexicon::parse(&v.to_string()).expect_err("refused")
    };
    let dup = broken(&|v| {
        v["vocabulary"][0]["entries"][1] = serde_json::json!(["pls"]);
    });
    assert!(dup.contains("pls"), "{dup}");
    let unknown = broken(&|v| {
        v["classes"]["verb"]["words"] = serde_json::json!(["call", "teleport"]);
    });
    assert!(unknown.contains("teleport"), "{unknown}");
    let missing = broken(&|v| {
        v["classes"].as_object_mut().map(|m| m.remove("det"));
    });
    assert!(missing.contains("det"), "{missing}");
    let extra = broken(&|v| {
        v["classes"]["adverb"] = serde_json::json!({"words": ["just"]});
    });
    assert!(extra.contains("adverb"), "{extra}");
    assert!(Lexicon::parse("{").is_err());
}

#[test]
fn positives_are_found_with_their_family() {
    assert!(POSITIVE.len() >= 30);
    for (text, rule) in POSITIVE {
        let found = detect(text);
        assert_eq!(
            found.as_ref().map(|o| o.rule),
            Some(*rule),
            "{text:?} -> {found:?}"
        );
        assert!(RULES.contains(rule), "{rule}");
    }
}

#[test]
fn ordinary_voicemails_are_not_opt_outs() {
    assert!(NEGATIVE.len() >= 30);
    for text in NEGATIVE {
        assert_eq!(detect(text), None, "{text:?}");
    }
}

#[test]
fn phrase_is_lower_case_single_spaced() {
    let phrase = |t: &str| detect(t).map(|o| o.phrase);
    assert_eq!(
        phrase("Don't   call, THIS number AGAIN."),
        Some("don't call this number again".into())
    );
    assert_eq!(
        phrase("ok so TAKE me off your LIST bye"),
        Some("take me off your list".into())
    );
    assert_eq!(
        phrase("don\u{2019}t contact me"),
        Some("don't contact me".into())
    );
    assert_eq!(phrase("do, not text me"), Some("do not text me".into()));
    assert_eq!(phrase("Opt-Out"), Some("opt out".into()));
    assert_eq!(phrase("stop please"), Some("stop".into()));
    assert_eq!(
        phrase("\"stop calling me\""),
        Some("stop calling me".into())
    );
}

#[test]
fn first_match_wins() {
    let o = detect("please stop calling me and take me off your list").unwrap();
    assert_eq!(
        (o.rule, o.phrase.as_str()),
        ("stop_contacting", "stop calling me")
    );
    // a cancelled match does not hide a later one
    let o = detect("i'm not asking you to stop calling just take me off your list").unwrap();
    assert_eq!(o.rule, "remove_from_list");
    let o = detect("my wife said \"stop calling\" and i agree do not call me").unwrap();
    assert_eq!(o.rule, "do_not_contact");
}

#[test]
fn quotes_without_a_reporting_verb_still_count() {
    assert!(detect("ok listen to me \"please stop texting me\"").is_some());
    // a reporting verb more than 4 words before the quote does not count
    assert!(detect("she said it too and for the record \"stop calling me\"").is_some());
    assert!(detect("“take me off your list”").is_some());
    assert!(detect("she said \"stop calling\"").is_none());
    // an unterminated quote runs to the end
    assert!(detect("she said \"stop calling").is_none());
}

#[test]
fn long_transcript_is_fast_and_total() {
    let chunk = "um so yeah the water heater is leaking and it won't stop can you come by ";
    let mut long = String::new();
    while long.len() < 10_000 {
        long.push_str(chunk);
    }
    let start = std::time::Instant::now();
    assert_eq!(detect(&long), None);
    long.push_str("and please stop calling me");
    assert_eq!(detect(&long).map(|o| o.rule), Some("stop_contacting"));
    assert!(start.elapsed() < std::time::Duration::from_millis(500));

    let words = "stop ".repeat(2_000);
    assert_eq!(detect(&words).map(|o| o.rule), Some("bare_keyword"));
    let fillers = text!("{} don't stop calling me", "um ".repeat(3_000));
    assert_eq!(detect(&fillers), None);
}

proptest::proptest! {
    #[test]
    fn any_text_is_total_and_deterministic(s in "\\PC{0,300}") {
        let a = detect(&s);
        proptest::prop_assert_eq!(&a, &detect(&s));
        if let Some(o) = a {
            proptest::prop_assert!(RULES.contains(&o.rule));
            proptest::prop_assert!(!o.phrase.is_empty());
        }
    }

    #[test]
    fn vocabulary_soup_is_total(words in proptest::collection::vec(proptest::sample::select(vec![
        "stop", "don't", "do", "not", "no", "never", "call", "calling", "me", "take", "off",
        "your", "list", "\"", "\u{201C}", "\u{201D}", "said", "i", "you", "opt", "out", "of",
        "remove", "please", "um", "the", "number", "this", "again", "back", "want", "calls",
        "to", "more", "any", "can", "t", "don", "un", "subscribe", "leave", "alone", ",", "'",
    ]), 0..40)) {
        let text = words.join(" ");
        let _ = detect(&text);
        let _ = detect(&words.concat());
    }
}

#[test]
fn odd_input_does_not_panic() {
    let samples = [
        "\"",
        "“",
        "”",
        "'",
        "don'",
        "'t",
        "do",
        "not",
        "opt",
        "no",
        "stop \"",
        "\u{0}",
        "e\u{301}",
        "\u{1F600}\u{1F600}",
        "ǅ ǈ İ ß ﬁ",
        "x'y'z'",
        "a\"b\"c\"d",
        "日本語のテキスト",
        "ＳＴＯＰ",
        "stop\u{200B}calling me",
        "supercalifragilisticexpialidocious stop",
    ];
    for s in samples {
        let _ = detect(s);
    }
    let mut all = String::new();
    for c in (0u32..0x3000).filter_map(char::from_u32) {
        all.push(c);
    }
    let _ = detect(&all);
}

use super::*;

fn full_vars() -> Vars {
    Vars {
        name: Some("Ada".into()),
        contest_name: Some("Spring Contest".into()),
        referral_link: Some("https://example.com/?ref=abc".into()),
        portal_link: Some("https://rt.example/r/c1#t=tok".into()),
        confirm_link: Some("https://rt.example/api/referral/confirm?token=x".into()),
        unsubscribe_link: Some("https://rt.example/api/email/unsubscribe?token=u".into()),
        points: Some(42),
        rank: Some(2),
        prize_name: Some("Gift card".into()),
        code: Some("CODE-1".into()),
    }
}

fn all_kinds() -> impl Iterator<Item = MessageKind> {
    MessageKind::TEMPLATED.into_iter().chain([MessageKind::Test])
}

#[test]
fn every_kind_in_every_language_renders_every_placeholder() {
    for kind in all_kinds() {
        for locale in Locale::ALL {
            let r = render(kind, locale, None, &full_vars());
            let what = format!("{} {}", kind.as_str(), locale.as_str());
            for part in [&r.subject, &r.text, &r.html] {
                assert!(!part.contains("{{") && !part.contains("}}"), "{what}: {part}");
                assert!(part.contains("Spring Contest"), "{what} names the contest: {part}");
            }
            assert!(r.text.contains("https://rt.example/api/email/unsubscribe?token=u"), "{what}");
            assert!(r.html.contains("<a href=\"https://rt.example/api/email/unsubscribe?token=u\">"), "{what}");
            assert!(!r.subject.is_empty() && !r.subject.contains('\n'), "{what}");
        }
    }
}

/// The links each message is for are in its text and, as links, in its HTML.
#[test]
fn each_message_carries_its_links() {
    let v = full_vars();
    let expect = [
        (MessageKind::Welcome, vec![&v.referral_link, &v.portal_link]),
        (MessageKind::Confirm, vec![&v.confirm_link]),
        (MessageKind::ReferralConfirmed, vec![&v.referral_link, &v.portal_link]),
        (MessageKind::PrizeEarned, vec![&v.portal_link, &v.code]),
        (MessageKind::ContestResults, vec![&v.portal_link, &v.prize_name]),
        (MessageKind::Portal, vec![&v.portal_link, &v.referral_link]),
    ];
    for (kind, values) in expect {
        for locale in Locale::ALL {
            let r = render(kind, locale, None, &v);
            for value in &values {
                let value = value.as_deref().unwrap();
                assert!(r.text.contains(value), "{} {}: {value}", kind.as_str(), locale.as_str());
                assert!(r.html.contains(&escape_html(value)), "{} {}: {value}", kind.as_str(), locale.as_str());
            }
        }
    }
    let r = render(MessageKind::ContestResults, Locale::En, None, &v);
    assert!(r.text.contains("rank 2 with 42 points"), "{}", r.text);
}

/// Without values: no placeholder shows, the lines about what is missing are
/// left out, an empty name leaves a clean greeting.
#[test]
fn missing_values_leave_their_lines_out() {
    let vars = Vars { contest_name: Some("C".into()), ..Vars::default() };
    for kind in all_kinds() {
        for locale in Locale::ALL {
            let r = render(kind, locale, None, &vars);
            assert!(!r.text.contains("{{") && !r.html.contains("{{"), "{}: {}", kind.as_str(), r.text);
            assert!(!r.html.contains("href=\"\""), "{}: {}", kind.as_str(), r.html);
        }
    }
    let r = render(MessageKind::PrizeEarned, Locale::En, None, &Vars { prize_name: Some("Mug".into()), ..vars });
    assert!(r.text.starts_with("Hi,\n\nCongratulations! You earned Mug in C.\n\n-- \n"), "{}", r.text);
    assert!(!r.text.contains("code") && !r.text.contains("See your prizes") && !r.text.contains("Unsubscribe"));
}

#[test]
fn values_are_escaped_in_html_and_plain_in_text() {
    let name = "<img src=x onerror=alert(1)> & \"Bob\"";
    let vars = Vars { name: Some(name.into()), ..full_vars() };
    let r = render(MessageKind::Welcome, Locale::En, None, &vars);
    assert!(r.text.contains(name));
    assert!(!r.html.contains("<img"));
    assert!(r.html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bob&quot;"));
    // in an attribute of the owner's HTML too
    let custom =
        Template { html: Some("<a href=\"{{referralLink}}\" title=\"{{name}}\">go</a>".into()), ..Template::default() };
    let vars = Vars { referral_link: Some("https://x.example/?a=1&b=\"><script>".into()), ..vars };
    let r = render(MessageKind::Welcome, Locale::En, Some(&custom), &vars);
    assert!(r.html.contains("href=\"https://x.example/?a=1&amp;b=&quot;&gt;&lt;script&gt;\""), "{}", r.html);
    assert!(!r.html.contains("<script>"));
}

#[test]
fn the_subject_is_one_line() {
    let vars = Vars { prize_name: Some("Mug\r\nBcc: victim@example.com\n".into()), ..full_vars() };
    let r = render(MessageKind::PrizeEarned, Locale::En, None, &vars);
    assert_eq!(r.subject, "You earned Mug Bcc: victim@example.com in Spring Contest");
    let custom = Template { subject: Some("Hi\r\n{{name}}\tthere".into()), ..Template::default() };
    let r = render(MessageKind::Welcome, Locale::En, Some(&custom), &full_vars());
    assert_eq!(r.subject, "Hi Ada there");
}

#[test]
fn the_owners_version_replaces_the_shipped_one() {
    let custom = Template {
        subject: Some("Hey {{name}}!".into()),
        text: Some("Your link: {{referralLink}}\n\nWrite to <us> & see".into()),
        html: None,
    };
    let r = render(MessageKind::Welcome, Locale::Fr, Some(&custom), &full_vars());
    assert_eq!(r.subject, "Hey Ada!");
    assert!(r.text.starts_with("Your link: https://example.com/?ref=abc\n\nWrite to <us> & see\n\n-- \n"));
    // the footer stays, in the message's language
    assert!(r.text.contains("Se désabonner : https://rt.example/api/email/unsubscribe?token=u"));
    // the HTML follows the owner's text, escaped, with its link
    assert!(r.html.contains(
        "<p>Your link: <a href=\"https://example.com/?ref=abc\">https://example.com/?ref=abc</a></p>\n<p>Write to &lt;us&gt; &amp; see</p>"
    ));
    let custom = Template { html: Some("<h1>{{contestName}}</h1>".into()), ..Template::default() };
    let r = render(MessageKind::Welcome, Locale::En, Some(&custom), &full_vars());
    assert!(r.html.contains("<h1>Spring Contest</h1>"));
    assert!(r.text.starts_with("Hi Ada,\n\nThanks for joining Spring Contest!"));
    assert!(r.html.contains("Unsubscribe: <a href="));
}

#[test]
fn unknown_placeholders_are_named_and_left_visible() {
    assert_eq!(unknown_placeholders("{{name}} {{ nmae }} {{x}} {{x}} {{points}} {{"), ["nmae", "x"]);
    assert!(unknown_placeholders("{{ name }}, {{contestName}}").is_empty());
    let custom = Template { text: Some("{{nmae}} {{ name }}".into()), ..Template::default() };
    let r = render(MessageKind::Welcome, Locale::En, Some(&custom), &full_vars());
    assert!(r.text.starts_with("{{nmae}} Ada\n"));
}

#[test]
fn the_test_send_uses_sample_values() {
    let r = render_test(MessageKind::PrizeEarned, Locale::De, None, "Frühling", "https://rt.example/");
    assert_eq!(r.subject, "[Test] Sie haben Gift card gewonnen (Frühling)");
    assert!(r.text.contains("Ihr Code: SAMPLE-CODE"));
    assert!(r.text.contains("https://rt.example/#sample-sign-in-link"));
}

#[test]
fn kinds_and_locales_read_and_switch() {
    for kind in all_kinds() {
        assert_eq!(MessageKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(MessageKind::parse("Welcome"), None);
    assert_eq!(Locale::parse("fr-CA"), Some(Locale::Fr));
    assert_eq!(Locale::parse("DE_at"), Some(Locale::De));
    assert_eq!(Locale::parse(" es "), Some(Locale::Es));
    assert_eq!(Locale::parse("en"), Some(Locale::En));
    assert_eq!(Locale::parse("it-IT"), None);
    assert_eq!(Locale::parse(""), None);
    assert!(MessageKind::Portal.enabled(Some(false), false));
    assert!(MessageKind::Confirm.enabled(None, true));
    assert!(!MessageKind::Confirm.enabled(Some(true), false));
    assert!(!MessageKind::Welcome.enabled(None, true));
    assert!(MessageKind::Welcome.enabled(Some(true), false));
    assert!(!MessageKind::Portal.is_switchable() && !MessageKind::Confirm.is_switchable());
    assert!(MessageKind::ContestResults.is_switchable());
    let json = serde_json::to_string(&MessageKind::ReferralConfirmed).unwrap();
    assert_eq!(json, "\"referral.confirmed\"");
}

/// `confirm` and `portal` exist for their link: an owner's version without it
/// gets it at the end, in the text and the HTML.
#[test]
fn confirm_and_portal_always_carry_their_link() {
    let v = full_vars();
    let bare = Template {
        text: Some("Please confirm.".into()),
        html: Some("<p>Please confirm.</p>".into()),
        ..Template::default()
    };
    let r = render(MessageKind::Confirm, Locale::En, Some(&bare), &v);
    let link = v.confirm_link.as_deref().unwrap();
    assert!(r.text.starts_with(&["Please confirm.\n\n", link, "\n\n-- \n"].concat()), "{}", r.text);
    assert!(
        r.html.contains(&["<p>Please confirm.</p>\n<p><a href=\"", &escape_html(link), "\">"].concat()),
        "{}",
        r.html
    );
    let r = render(MessageKind::Portal, Locale::En, Some(&bare), &v);
    assert!(r.text.contains(v.portal_link.as_deref().unwrap()), "{}", r.text);
    // A version with the link keeps it where the owner put it, once.
    let placed = Template { text: Some("Go: {{ confirmLink }} now".into()), ..Template::default() };
    let r = render(MessageKind::Confirm, Locale::En, Some(&placed), &v);
    assert_eq!(r.text.matches(link).count(), 1, "{}", r.text);
    // Other kinds get nothing added.
    let r = render(MessageKind::Welcome, Locale::En, Some(&bare), &v);
    assert!(r.text.starts_with("Please confirm.\n\n-- \n"), "{}", r.text);
}

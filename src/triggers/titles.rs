//! Names found next to a title or role: after it ("وزير الدفاع الروسي سيرغي شويغو"), before it
//! in apposition ("Jane Doe, a spokeswoman for the ministry"), and after a kinship word ("ابنته كيم
//! جو آه").

use super::words::{first_token, last_token, Words};
use crate::entities::Candidate;
use crate::model::EntityType;

/// A nisba adjective that qualifies a title ("النائب الديمقراطي", "المتحدث العسكري"): a definite
/// word of five letters or more ending in ي or يه.
fn is_title_adjective(tok: &str) -> bool {
    tok.starts_with("ال") && tok.chars().count() >= 5 && (tok.ends_with('ي') || tok.ends_with("يه"))
}

/// Title, then role words, then the name: PERSON (0.7) with its role. A listed person after a
/// title only gets the role.
pub(super) fn after_titles(
    w: &Words,
    gaz: &mut [(Candidate, EntityType)],
    out: &mut Vec<Candidate>,
) {
    let cx = w.cx;
    let nt = cx.nt;
    let n = nt.tokens.len();
    let words = w;
    for (h, hit) in cx.title_hits.iter().enumerate() {
        if w.title_in_name[h] {
            continue;
        }
        let rule_id = &cx.patterns.titles[hit.payload as usize].1;
        let mut j = last_token(nt, &hit.norm) + 1;
        let mut role_end = hit.norm.end;
        let mut known_person = None;
        // A title in construct form (no article on its last word: "محافظ", "مستشار") takes its
        // complement, up to four words: definite words ("محافظ البنك المركزي", "مستشار الرئيس"),
        // or construct nouns that end in one or in a known entity ("مدير مستشفى الشفاء"). A
        // title with the article ("الرئيس الأسد") is followed by the name itself.
        // "للفنانة" is ل + الفنانة: definite, as "الفنانة".
        let construct = words.is_arabic_word(j - 1)
            && !words.has_article(j - 1)
            && !nt.token_text(j - 1).starts_with("لل");
        let honorific = cx
            .patterns
            .honorifics
            .contains(&cx.patterns.titles[hit.payload as usize].0);
        let after_title = j;
        let mut complement = 0;
        while j < n {
            if let Some(k) = w.cover[j] {
                match gaz[k].1 {
                    EntityType::Norp | EntityType::Organization | EntityType::Location => {
                        role_end = gaz[k].0.norm.end;
                        j = last_token(nt, &gaz[k].0.norm) + 1;
                        continue;
                    }
                    EntityType::Person => known_person = Some(k),
                    EntityType::Date => {}
                }
                break;
            }
            if let Some(t) = w.title_at[j] {
                role_end = cx.title_hits[t].norm.end;
                j = last_token(nt, &cx.title_hits[t].norm) + 1;
                continue;
            }
            if cx.patterns.connectors.contains(nt.token_text(j))
                || is_title_adjective(nt.token_text(j))
            {
                role_end = nt.tokens[j].norm.end;
                j += 1;
                continue;
            }
            if construct && complement < 4 {
                if words.has_article(j) && words.stop_free(j) {
                    role_end = nt.tokens[j].norm.end;
                    complement += 1;
                    j += 1;
                    continue;
                }
                // A chain of construct nouns right after the title ("مدير مستشفى الشفاء", "قائد
                // شرطة دبي") runs until a definite word or a known place, organization or
                // nationality, which then joins the role above. Never after a definite word:
                // there the name starts ("محافظ البنك المركزي حسن عبد الله").
                let mut k = j;
                while k < n && k - j < 3 && words.is_arabic_word(k) && !words.has_article(k) {
                    if !words.stop_free(k) {
                        break;
                    }
                    k += 1;
                }
                let ends_chain = j == after_title
                    && k > j
                    && k < n
                    && match w.cover[k] {
                        Some(e) => matches!(
                            gaz[e].1,
                            EntityType::Norp | EntityType::Organization | EntityType::Location
                        ),
                        None => words.has_article(k) && words.stop_free(k),
                    };
                if ends_chain {
                    role_end = nt.tokens[k - 1].norm.end;
                    complement += k - j;
                    j = k;
                    continue;
                }
            }
            // "المتحدث باسم الوزارة": after باسم, one definite common noun belongs to the role.
            if j > 0 && nt.token_text(j - 1) == "باسم" && words.has_article(j) && words.stop_free(j)
            {
                role_end = nt.tokens[j].norm.end;
                j += 1;
                continue;
            }
            break;
        }
        let role = cx.orig[nt.orig_range(cx.orig, hit.norm.start..role_end)].to_owned();
        if let Some(k) = known_person {
            if gaz[k].0.role.is_empty() {
                gaz[k].0.role = role;
            }
            continue;
        }
        // "General Hospital", "Secretary General Institute": an organization head in or right
        // after the name words makes them an organization's name, not a person's.
        // After an honorific ("السيد وضاح الخطيب") the name needs no listed given name.
        let name = words
            .name_forward(j)
            .or_else(|| honorific.then(|| words.honorific_name(j)).flatten())
            .map(|r| words.name_end(r));
        if let Some(r) = name {
            if !(r.start..=r.end).any(|k| k < words.len() && words.org_head(k)) {
                out.push(words.person(r, rule_id, 0.7, role));
            }
        }
    }
}

/// Name words, a comma, then a title: PERSON (0.6).
pub(super) fn apposition(w: &Words, out: &mut Vec<Candidate>) {
    let cx = w.cx;
    let nt = cx.nt;
    let words = w;
    // Apposition: name words, a comma, then a title ("Jane Doe, a spokeswoman for": an English
    // article may stand before the title).
    for (h, hit) in cx.title_hits.iter().enumerate() {
        if w.title_in_name[h] {
            continue;
        }
        let mut first = first_token(nt, &hit.norm);
        if first >= 3 && cx.patterns.articles.contains(nt.token_text(first - 1)) {
            first -= 1;
        }
        if first < 2 || nt.token_text(first - 1) != "," {
            continue;
        }
        if let Some(r) = words.name_backward(first - 2) {
            let rule_id = &cx.patterns.titles[hit.payload as usize].1;
            let role = cx.orig[nt.orig_range(cx.orig, hit.norm.clone())].to_owned();
            out.push(words.person(r, rule_id, 0.6, role));
        }
    }
}

/// A kinship word, then a name: PERSON (0.65), the kinship word as its role. Returns which tokens
/// are kinship words (no organization starts there).
pub(super) fn kinship(
    w: &Words,
    gaz: &mut [(Candidate, EntityType)],
    out: &mut Vec<Candidate>,
) -> Vec<bool> {
    let cx = w.cx;
    let nt = cx.nt;
    let n = nt.tokens.len();
    let words = w;
    let mut is_kin = vec![false; n];
    for i in cx.kin_hits.iter().filter_map(|h| w.word_at(h)) {
        is_kin[i] = true;
        let role = cx.orig[nt.tokens[i].orig.clone()].to_owned();
        match w.cover.get(i + 1).copied().flatten() {
            Some(k) if gaz[k].1 == EntityType::Person => {
                if gaz[k].0.role.is_empty() {
                    gaz[k].0.role = role;
                }
            }
            _ => {
                if let Some(r) = words.name_forward(i + 1) {
                    out.push(words.person(r, "patterns.toml:kin", 0.65, role));
                }
            }
        }
    }
    is_kin
}

//! The review in a terminal: per draft, the summary, then each selected paragraph, highest score
//! first, with its source paragraph(s) beneath. Runs are colored when stdout is a terminal and
//! bracketed otherwise (【copied】 〔套话〕 〖template-site mark〗), so the output also reads in a
//! file, a pipe or an email.

use super::marked::{Group, Marked};
use super::{pct, DraftView, Review};
use crate::classify::{SpanKind, Verdict};
use crate::params::REVIEW_TERMINAL_SOURCES;
use crate::report::{is_finding, schema::verdict};

/// A word of `--verdict` that names no verdict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--verdict: unknown {0:?} (use copy, partial, boilerplate, original, flagged or all)")]
pub struct UnknownVerdict(pub String);

/// Which paragraphs to list.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub verdicts: Vec<Verdict>,
    /// Also paragraphs with template-site flags, whatever their verdict.
    pub flagged: bool,
    /// Only paragraphs scoring at least this.
    pub min_score: f64,
}

impl Default for Selection {
    /// The findings: copied and partly copied paragraphs, and template-site flags.
    fn default() -> Selection {
        Selection { verdicts: vec![Verdict::Partial, Verdict::Copy], flagged: true, min_score: 0.0 }
    }
}

impl Selection {
    /// Parses `--verdict`: a comma-separated list of copy, partial, boilerplate, original,
    /// flagged (paragraphs with template-site flags) and all.
    pub fn parse_verdicts(list: &str, min_score: f64) -> Result<Selection, UnknownVerdict> {
        let mut sel = Selection { verdicts: Vec::new(), flagged: false, min_score };
        for word in list.split([',', '，', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_ascii_lowercase().as_str() {
                "copy" => sel.verdicts.push(Verdict::Copy),
                "partial" => sel.verdicts.push(Verdict::Partial),
                "boilerplate" => sel.verdicts.push(Verdict::Boilerplate),
                "original" => sel.verdicts.push(Verdict::Original),
                "flagged" => sel.flagged = true,
                "all" => {
                    sel.verdicts =
                        vec![Verdict::Copy, Verdict::Partial, Verdict::Boilerplate, Verdict::Original];
                    sel.flagged = true;
                }
                _ => return Err(UnknownVerdict(word.to_string())),
            }
        }
        sel.verdicts.sort();
        sel.verdicts.dedup();
        Ok(sel)
    }

    fn describe(&self) -> String {
        let mut words: Vec<String> = self.verdicts.iter().rev().map(|v| v.to_string()).collect();
        if self.flagged {
            words.push("flagged".into());
        }
        let mut s = words.join(", ");
        if self.min_score > 0.0 {
            s.push_str(&format!("; score ≥ {}", self.min_score));
        }
        s
    }

    fn wants(&self, p: &super::ParaView) -> bool {
        (self.verdicts.contains(&p.row.verdict)
            || (self.flagged && p.row.flags.iter().any(|f| !is_finding(f))))
            && p.row.score >= self.min_score
    }
}

/// How runs are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colors: copied runs bold red, 套话 dim, marks underlined yellow.
    Color,
    /// Brackets: 【copied】 〔套话〕 〖mark〗.
    Plain,
}

/// The whole review as text.
pub fn render(review: &Review, sel: &Selection, style: Style) -> String {
    let mut out = String::new();
    for (i, d) in review.drafts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        draft(&mut out, d, sel, style);
    }
    out
}

fn draft(out: &mut String, d: &DraftView, sel: &Selection, style: Style) {
    out.push_str(&bold(&clean(&d.name), style));
    out.push('\n');
    let counts = format!(
        "{} paragraphs: {} copy, {} partial, {} boilerplate, {} original",
        d.paragraphs.len(),
        d.count(Verdict::Copy),
        d.count(Verdict::Partial),
        d.count(Verdict::Boilerplate),
        d.count(Verdict::Original)
    );
    match &d.summary {
        Some(s) => out.push_str(&format!(
            "  复制比 copied {} · 套话 boilerplate {} · {counts}\n",
            pct(s.copied_ratio),
            pct(s.boilerplate_ratio)
        )),
        None => out.push_str(&format!("  (no row in documents.csv) · {counts}\n")),
    }
    if !d.sources.is_empty() {
        out.push_str("  top sources:\n");
        for s in d.sources.iter().take(REVIEW_TERMINAL_SOURCES) {
            out.push_str(&format!("    {} {}\n", pct(s.ratio), clean(&s.source)));
        }
        if d.sources.len() > REVIEW_TERMINAL_SOURCES {
            out.push_str(&format!("    … and {} more\n", d.sources.len() - REVIEW_TERMINAL_SOURCES));
        }
    }
    // The findings that follow classification (foreign_name:, recycled:, batch:) apart from marks.
    for (label, findings) in [("template-site flags", false), ("findings", true)] {
        let flagged: Vec<String> = d
            .paragraphs
            .iter()
            .filter_map(|p| {
                let of_kind: Vec<String> =
                    p.row.flags.iter().filter(|f| is_finding(f) == findings).map(|f| f.to_string()).collect();
                (!of_kind.is_empty()).then(|| format!("¶{} {}", p.row.para, clean(&of_kind.join(";"))))
            })
            .collect();
        if !flagged.is_empty() {
            out.push_str(&format!("  {label}: {}\n", flagged.join(" · ")));
        }
    }

    let mut shown: Vec<&super::ParaView> = d.paragraphs.iter().filter(|p| sel.wants(p)).collect();
    shown.sort_by(|a, b| b.row.score.total_cmp(&a.row.score).then(a.row.para.cmp(&b.row.para)));
    out.push_str(&format!(
        "  {} of {} paragraphs shown ({}), highest score first",
        shown.len(),
        d.paragraphs.len(),
        sel.describe()
    ));
    if style == Style::Plain {
        out.push_str("; marks: 【copied】 〔套话〕 〖template-site mark〗");
    }
    out.push('\n');

    for p in shown {
        let r = &p.row;
        let mut head = format!("¶{} {} {} · score {:.3}", r.para, r.verdict, verdict(r.verdict).zh, r.score);
        if !r.source.is_empty() {
            head.push_str(&format!(" · {}", clean(&r.source)));
            if let Some(sp) = r.source_para {
                head.push_str(&format!(" ¶{sp}"));
            }
        }
        if !r.flags.is_empty() {
            head.push_str(&format!(
                " · {}",
                clean(&r.flags.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(";"))
            ));
        }
        out.push_str(&format!("\n  {}\n", bold(&head, style)));
        match &p.text {
            Some(m) => out.push_str(&format!("    {}\n", marked(m, style))),
            None if !r.excerpt.is_empty() => out.push_str(&format!(
                "    (draft text not found; the report's excerpt:) {}…\n",
                clean(&r.excerpt)
            )),
            None => out.push_str("    (draft text not found)\n"),
        }
        for s in &p.sources {
            let at = s.para.map(|n| format!(" ¶{n}")).unwrap_or_default();
            out.push_str(&format!("    ← {}{at}\n", clean(&s.source)));
            match &s.text {
                Some(m) => out.push_str(&format!("      {}\n", marked(m, style))),
                None => out.push_str("      (source text not found)\n"),
            }
        }
    }
}

/// A paragraph with its runs shown in `style`.
pub fn marked(m: &Marked, style: Style) -> String {
    let mut out = String::new();
    for g in m.groups() {
        group(&mut out, &g, style);
    }
    out
}

/// One run: in plain style, its brackets close around edits (chars that differ from the other
/// side), so only the same text is inside them.
fn group(out: &mut String, g: &Group, style: Style) {
    let kind = g.run.map(|r| r.kind);
    match style {
        Style::Plain => {
            let (open, close) = match kind {
                Some(SpanKind::Copy) => ("【", "】"),
                Some(SpanKind::Boilerplate) => ("〔", "〕"),
                None => ("", ""),
            };
            let mut inside = false;
            for p in g.pieces {
                if p.same != inside {
                    out.push_str(if p.same { open } else { close });
                    inside = p.same;
                }
                match p.flag {
                    Some(_) => out.push_str(&format!("〖{}〗", clean(&p.text))),
                    None => out.push_str(&clean(&p.text)),
                }
            }
            if inside {
                out.push_str(close);
            }
        }
        Style::Color => {
            for p in g.pieces {
                let mut codes: Vec<&str> = match kind {
                    Some(SpanKind::Copy) if p.same => vec!["1", "31"],
                    Some(SpanKind::Boilerplate) if p.same => vec!["2"],
                    _ => vec![],
                };
                if p.flag.is_some() {
                    codes.extend(["4", "33"]);
                }
                if codes.is_empty() {
                    out.push_str(&clean(&p.text));
                } else {
                    out.push_str(&format!("\x1b[{}m{}\x1b[0m", codes.join(";"), clean(&p.text)));
                }
            }
        }
    }
}

fn bold(s: &str, style: Style) -> String {
    match style {
        Style::Color => format!("\x1b[1m{s}\x1b[0m"),
        Style::Plain => s.to_string(),
    }
}

/// Document text made safe for a terminal: control chars (an escape sequence hidden in a corpus
/// file could rewrite the screen) are shown as their Unicode pictures.
fn clean(s: &str) -> String {
    let pictured: String = s
        .chars()
        .map(|c| match c {
            '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\x7f' => '\u{2421}',
            c => c,
        })
        .collect();
    // C1 controls and the bidirectional controls, which could show a name or a sentence reversed.
    crate::names::terminal_safe(&pictured).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_lists() {
        let s = Selection::parse_verdicts("partial,COPY，flagged", 0.5).unwrap();
        assert_eq!(s.verdicts, vec![Verdict::Partial, Verdict::Copy]);
        assert!(s.flagged);
        assert_eq!(s.describe(), "copy, partial, flagged; score ≥ 0.5");
        assert_eq!(Selection::parse_verdicts("all", 0.0).unwrap().verdicts.len(), 4);
        assert!(Selection::parse_verdicts("copied", 0.0).unwrap_err().to_string().contains("copied"));
        assert_eq!(Selection::default().describe(), "copy, partial, flagged");
    }

    #[test]
    fn control_chars_cannot_reach_the_terminal() {
        assert_eq!(clean("a\x1b[2Jb\x07"), "a\u{241b}[2Jb\u{2407}");
    }
}

//! Alignment of a draft paragraph with a source paragraph, in significant chars.
//!
//! Exact matches of at least [`SEED_GRAM`] chars are the seeds. Seeds chain along the diagonal
//! when the gap between them is small on both sides ([`MAX_GAP`]) and the two gaps differ little
//! ([`MAX_DRIFT`]): a changed number, a swapped synonym, an inserted adverb. Chains are found best
//! first by dynamic programming (the longest total of matched chars), so a paraphrase that leaves
//! no 13-char run intact still aligns as one run, while scattered common words do not chain.

use crate::normalize::WILDCARD;
use crate::params::{MAX_DRIFT, MAX_GAP, MIN_CHAIN_DENSITY, SEED_GRAM, SEED_GRAM_MAX_REPEAT};
use std::ops::Range;

/// An aligned run: ranges of significant chars in the draft and source paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub draft: Range<usize>,
    pub source: Range<usize>,
    /// Chars inside exact matches, numbers and slots not counted (the rest of the range is
    /// bridged gaps): a matching number is no evidence of copying.
    pub matched: usize,
    /// Length of the longest exact match in the run.
    pub longest: usize,
    /// Draft ranges of the exact matches the run is made of, in order.
    pub pieces: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy)]
struct Seed {
    d: usize,
    s: usize,
    len: usize,
}

/// Most seeds considered per pair; the longest are kept. Bounds the quadratic chaining on
/// pathological (highly repetitive) paragraphs.
const MAX_SEEDS: usize = 1500;
/// Most runs returned per pair.
const MAX_RUNS: usize = 32;

/// Aligned runs between `draft` and `source` with at least `min_matched` matched chars and a
/// matched density of at least [`MIN_CHAIN_DENSITY`], longest first.
pub fn align(draft: &[char], source: &[char], min_matched: usize) -> Vec<Run> {
    Aligner::new(draft).align(source, min_matched)
}

/// A draft paragraph made ready to align with many source paragraphs: its [`SEED_GRAM`]-char
/// windows are indexed once, and each source is then read once, window by window, instead of
/// sorting the source's windows and binary-searching them for every draft window.
pub struct Aligner<'d> {
    draft: &'d [char],
    solid: Solid,
    /// Each distinct key of a draft window (wildcards only excepted) → its slot.
    slots: foldhash::HashMap<u64, u32>,
    /// Draft positions of slot `k`'s windows, ascending: `positions[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    positions: Vec<u32>,
    /// The slot of the window at each draft position; `u32::MAX` for one of wildcards only.
    slot_of: Vec<u32>,
}

impl<'d> Aligner<'d> {
    pub fn new(draft: &'d [char]) -> Aligner<'d> {
        let n = SEED_GRAM;
        let mut windows: Vec<(u64, u32)> = (0..(draft.len() + 1).saturating_sub(n))
            .filter(|&i| !all_wild(&draft[i..i + n]))
            .map(|i| (gram_key(&draft[i..i + n]), i as u32))
            .collect();
        windows.sort_unstable();
        let mut slots = foldhash::HashMap::default();
        let mut starts = Vec::new();
        let mut positions = Vec::with_capacity(windows.len());
        let mut slot_of = vec![u32::MAX; (draft.len() + 1).saturating_sub(n)];
        for (k, (key, i)) in windows.into_iter().enumerate() {
            if let std::collections::hash_map::Entry::Vacant(slot) = slots.entry(key) {
                slot.insert(starts.len() as u32);
                starts.push(k as u32);
            }
            slot_of[i as usize] = (starts.len() - 1) as u32;
            positions.push(i);
        }
        starts.push(positions.len() as u32);
        Aligner { draft, solid: Solid::new(draft), slots, starts, positions, slot_of }
    }

    /// Aligned runs with `source`: see [`align`].
    pub fn align(&self, source: &[char], min_matched: usize) -> Vec<Run> {
        let mut seeds = self.seeds(source);
        if seeds.len() > MAX_SEEDS {
            seeds.sort_by_key(|s| std::cmp::Reverse(s.len));
            seeds.truncate(MAX_SEEDS);
        }
        seeds.sort_by_key(|x| (x.d, x.s));
        let solid = &self.solid;
        let mut used = vec![false; seeds.len()];
        let mut runs = Vec::new();
        let mut best = vec![0usize; seeds.len()];
        let mut prev = vec![usize::MAX; seeds.len()];
        while runs.len() < MAX_RUNS {
            chain_scores(&seeds, solid, &used, &mut best, &mut prev);
            let Some(end) = (0..seeds.len()).filter(|&t| !used[t]).max_by_key(|&t| (best[t], usize::MAX - t))
            else {
                break;
            };
            if best[end] < min_matched.max(SEED_GRAM) {
                break;
            }
            let mut chain = vec![end];
            while prev[*chain.last().unwrap_or(&end)] != usize::MAX {
                let p = prev[*chain.last().unwrap_or(&end)];
                chain.push(p);
            }
            chain.reverse();
            for &t in &chain {
                used[t] = true;
            }
            let run = run_of(&seeds, solid, &chain);
            // Numbers inside exact matches do not count as evidence, but they are matched text,
            // not a gap: a copied table row of figures is dense.
            let covered: usize = run.pieces.iter().map(|p| p.len()).sum();
            if covered as f64 >= MIN_CHAIN_DENSITY * run.draft.len() as f64 {
                runs.push(run);
            }
        }
        runs.sort_by(|a, b| b.matched.cmp(&a.matched).then(a.draft.start.cmp(&b.draft.start)));
        runs
    }

    /// Maximal exact matches of at least [`SEED_GRAM`] chars, sorted by draft then source
    /// position. A window of wildcards only, or repeated more than [`SEED_GRAM_MAX_REPEAT`] times
    /// in the source, starts no seed, so a match is found once, at its first window that may
    /// start one (a verbatim paragraph opening with `１９５６年` is still one match).
    fn seeds(&self, source: &[char]) -> Vec<Seed> {
        let (n, draft) = (SEED_GRAM, self.draft);
        if draft.len() < n || source.len() < n {
            return Vec::new();
        }
        // Source windows whose key some draft window has, by slot.
        let hits: Vec<(u32, u32)> = (0..=source.len() - n)
            .filter(|&j| !all_wild(&source[j..j + n]))
            .filter_map(|j| Some((*self.slots.get(&gram_key(&source[j..j + n]))?, j as u32)))
            .collect();
        let mut repeats = vec![0usize; self.starts.len() - 1];
        for &(k, _) in &hits {
            repeats[k as usize] += 1;
        }
        let starts_seeds = |i: usize| {
            let k = self.slot_of[i];
            k != u32::MAX && repeats[k as usize] <= SEED_GRAM_MAX_REPEAT
        };
        let mut out = Vec::new();
        for &(k, j) in &hits {
            let k = k as usize;
            if repeats[k] > SEED_GRAM_MAX_REPEAT {
                continue;
            }
            let j = j as usize;
            for &i in &self.positions[self.starts[k] as usize..self.starts[k + 1] as usize] {
                let i = i as usize;
                // Inside a longer match that starts earlier, at a window that starts seeds?
                let mut back = (1..=i.min(j)).take_while(|&b| draft[i - b] == source[j - b]);
                if back.any(|b| starts_seeds(i - b)) {
                    continue;
                }
                if source[j..j + n] != draft[i..i + n] {
                    continue;
                }
                let mut len = n;
                while i + len < draft.len() && j + len < source.len() && draft[i + len] == source[j + len] {
                    len += 1;
                }
                out.push(Seed { d: i, s: j, len });
            }
        }
        // Each (draft, source) pair is found once: this is the order of a scan of the draft.
        out.sort_unstable_by_key(|s| (s.d, s.s));
        out
    }
}

/// Prefix counts of the draft chars that are not wildcards.
struct Solid(Vec<u32>);

impl Solid {
    fn new(chars: &[char]) -> Solid {
        let mut acc = Vec::with_capacity(chars.len() + 1);
        acc.push(0);
        let mut n = 0;
        for &c in chars {
            n += u32::from(c != WILDCARD);
            acc.push(n);
        }
        Solid(acc)
    }

    fn count(&self, r: Range<usize>) -> usize {
        (self.0[r.end] - self.0[r.start]) as usize
    }
}

fn all_wild(chars: &[char]) -> bool {
    chars.iter().all(|&c| c == WILDCARD)
}

fn gram_key(chars: &[char]) -> u64 {
    chars.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| (h ^ c as u64).wrapping_mul(0x0100_0000_01b3))
}

/// For each unused seed, the best chain ending at it: `best[t]` matched chars, `prev[t]` the seed
/// before it (`usize::MAX` when it starts the chain).
fn chain_scores(seeds: &[Seed], solid: &Solid, used: &[bool], best: &mut [usize], prev: &mut [usize]) {
    for t in 0..seeds.len() {
        best[t] = 0;
        prev[t] = usize::MAX;
        if used[t] {
            continue;
        }
        let st = seeds[t];
        best[t] = solid.count(st.d..st.d + st.len);
        for u in 0..t {
            if used[u] {
                continue;
            }
            let su = seeds[u];
            let Some((eff, gap_d, gap_s)) = link(su, st) else { continue };
            let eff = solid.count(st.d + st.len - eff..st.d + st.len);
            if gap_d > MAX_GAP || gap_s > MAX_GAP || gap_d.abs_diff(gap_s) > MAX_DRIFT {
                continue;
            }
            let score = best[u] + eff;
            if score > best[t] {
                best[t] = score;
                prev[t] = u;
            }
        }
    }
}

/// How seed `t` continues seed `u`: its chars beyond `u` on both sides, and the two gaps.
fn link(u: Seed, t: Seed) -> Option<(usize, usize, usize)> {
    if t.d < u.d || t.s < u.s {
        return None;
    }
    let overlap = (u.d + u.len).saturating_sub(t.d).max((u.s + u.len).saturating_sub(t.s));
    if overlap + 2 > t.len {
        return None;
    }
    let (d, s) = (t.d + overlap, t.s + overlap);
    Some((t.len - overlap, d - (u.d + u.len), s - (u.s + u.len)))
}

fn run_of(seeds: &[Seed], solid: &Solid, chain: &[usize]) -> Run {
    let first = seeds[chain[0]];
    let mut matched = solid.count(first.d..first.d + first.len);
    let mut longest = matched;
    let mut pieces = Vec::with_capacity(chain.len());
    pieces.push(first.d..first.d + first.len);
    let mut end = (first.d + first.len, first.s + first.len);
    for w in chain.windows(2) {
        let (u, t) = (seeds[w[0]], seeds[w[1]]);
        if let Some((eff, _, _)) = link(u, t) {
            let piece = t.d + t.len - eff..t.d + t.len;
            let eff = solid.count(piece.clone());
            matched += eff;
            longest = longest.max(eff);
            pieces.push(piece);
        }
        end = (t.d + t.len, t.s + t.len);
    }
    Run { draft: first.d..end.0, source: first.s..end.1, matched, longest, pieces }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The seeds found the plain way: every draft window binary-searched in the sorted source
    /// windows.
    fn searched_seeds(draft: &[char], source: &[char]) -> Vec<(usize, usize, usize)> {
        let n = SEED_GRAM;
        if draft.len() < n || source.len() < n {
            return Vec::new();
        }
        let mut grams: Vec<(u64, u32)> = (0..=source.len() - n)
            .filter(|&j| !all_wild(&source[j..j + n]))
            .map(|j| (gram_key(&source[j..j + n]), j as u32))
            .collect();
        grams.sort_unstable();
        let found = |w: &[char]| {
            let key = gram_key(w);
            grams.partition_point(|&(k, _)| k < key)..grams.partition_point(|&(k, _)| k <= key)
        };
        let starts =
            |i: usize| !all_wild(&draft[i..i + n]) && found(&draft[i..i + n]).len() <= SEED_GRAM_MAX_REPEAT;
        let mut out = Vec::new();
        for i in 0..=draft.len() - n {
            let window = &draft[i..i + n];
            if !starts(i) {
                continue;
            }
            for &(_, j) in &grams[found(window)] {
                let j = j as usize;
                let inside =
                    (1..=i.min(j)).take_while(|&b| draft[i - b] == source[j - b]).any(|b| starts(i - b));
                if inside || source[j..j + n] != *window {
                    continue;
                }
                let mut len = n;
                while i + len < draft.len() && j + len < source.len() && draft[i + len] == source[j + len] {
                    len += 1;
                }
                out.push((i, j, len));
            }
        }
        out
    }

    proptest::proptest! {
        /// Small alphabets with wildcards: long repeats, windows past the repeat cap, all-wild
        /// windows. The seeds come out the same and in the same order.
        #[test]
        fn indexed_seeds_are_the_searched_seeds(
            d in proptest::collection::vec(0u8..4, 0..120),
            s in proptest::collection::vec(0u8..4, 0..120),
        ) {
            let letter = |x: &u8| if *x == 3 { WILDCARD } else { char::from(b'a' + x) };
            let (draft, source): (Vec<char>, Vec<char>) =
                (d.iter().map(letter).collect(), s.iter().map(letter).collect());
            let seeds: Vec<(usize, usize, usize)> =
                Aligner::new(&draft).seeds(&source).iter().map(|x| (x.d, x.s, x.len)).collect();
            proptest::prop_assert_eq!(seeds, searched_seeds(&draft, &source));
        }
    }

    #[test]
    fn verbatim_copy_is_one_run() {
        let src = chars("今年发展主要预期目标是国内生产总值增长百分之五左右城镇新增就业一千二百万人以上");
        let draft = chars(
            "我们认为今年发展主要预期目标是国内生产总值增长百分之五左右城镇新增就业一千二百万人以上同志们",
        );
        let runs = align(&draft, &src, 13);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].draft, 4..4 + src.len());
        assert_eq!(runs[0].source, 0..src.len());
        assert_eq!(runs[0].matched, src.len());
    }

    #[test]
    fn a_verbatim_copy_opening_with_a_number_is_one_run() {
        // The 1956 budget report: numbers are wildcards, so the first gram starts no seed.
        let text: Vec<char> = "１９５６年国营企业收入为１４３２８１４４０００元占本年预算收入的４８１９比１９５５年决算数增长２６４８"
            .chars()
            .map(|c| if c.is_numeric() { WILDCARD } else { c })
            .collect();
        let runs = align(&text, &text, 13);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].draft, 1..text.len());
        assert_eq!(runs[0].source, 1..text.len());
        assert_eq!(runs[0].matched, 24, "numbers are no evidence");
    }

    #[test]
    fn dense_edits_are_bridged() {
        // A synonym swap, an inserted adverb and a deleted 的 every few chars: no 13-char run left.
        let src =
            chars("加强生态环境保护推进美丽中国建设持续深入打好蓝天碧水净土保卫战提升生态系统的多样性稳定性");
        let draft = chars(
            "强化生态环境保护推动美丽中国建设进一步持续深入打好蓝天碧水净土保卫战提高生态系统多样性稳定性",
        );
        let runs = align(&draft, &src, 13);
        assert_eq!(runs.len(), 1, "{runs:?}");
        let r = &runs[0];
        assert!(r.longest < 13 + 4);
        assert!(r.draft.len() >= draft.len() - 4 && r.source.len() >= src.len() - 4, "{r:?}");
        assert!(r.matched >= 30);
    }

    #[test]
    fn scattered_common_words_do_not_chain() {
        let src = chars("坚持以人民为中心的发展思想不断增强人民群众获得感幸福感安全感");
        let draft = chars("本县今年新建学校三所人民群众反映强烈的问题得到解决发展思想");
        let runs = align(&draft, &src, 13);
        assert!(runs.is_empty(), "{runs:?}");
    }

    #[test]
    fn shuffled_sentences_give_separate_runs() {
        let a = "全面推进乡村振兴加快建设农业强国";
        let b = "深入实施区域协调发展战略和主体功能区战略";
        let src = chars(&format!("{a}{b}"));
        let draft = chars(&format!("{b}{a}"));
        let runs = align(&draft, &src, 13);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].source, a.chars().count()..src.len());
        assert_eq!(runs[1].draft, b.chars().count()..draft.len());
    }

    #[test]
    fn numbers_match_any_number() {
        let src: Vec<char> = "全年共举行集体学习##次专题研讨#次".chars().collect();
        let draft: Vec<char> = "全年共举行集体学习#次专题研讨##次".chars().collect();
        let runs = align(&draft, &src, 13);
        assert_eq!(runs.len(), 1);
        // The run ends with the last exact match of 4 or more chars: "次" after "研讨##" is left alone.
        assert_eq!((runs[0].draft.clone(), runs[0].source.clone()), (0..16, 0..17));
        assert_eq!(runs[0].matched, 14, "digits are not counted as matched");
    }
}

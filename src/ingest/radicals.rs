//! CJK radicals that PDF text layers give for ordinary chars.
//!
//! A PDF's text layer maps each glyph back to a char through the font's table, and fonts that draw
//! 工 and the radical ⼯ with one glyph often map it to the radical: Word, WPS and Chromium PDFs
//! read as 「⼯作」「⽣态」「⼈⺠」. Such a text shares nothing with the same words typed. Each
//! radical becomes the unified ideograph Unicode names as its equivalent
//! (`Equivalent_Unified_Ideograph`, EquivalentUnifiedIdeograph.txt of the Unicode Character
//! Database, © Unicode, Inc., used under the Unicode License): the Kangxi radicals (U+2F00–U+2FD5)
//! through their compatibility decomposition, which is that same char, and the CJK Radicals
//! Supplement (U+2E80–U+2EFF), which has none, through the table below (Unicode 14.0, generated
//! with Perl's `Unicode::UCD::charprop`). CJK compatibility ideographs (U+F900–U+FAFF,
//! U+2F800–U+2FA1F) become their canonical equivalents.

use unicode_normalization::UnicodeNormalization;

/// CJK Radicals Supplement → equivalent unified ideograph.
const SUPPLEMENT: [(char, char); 114] = [
    ('⺁', '厂'),
    ('⺂', '乛'),
    ('⺃', '乚'),
    ('⺄', '乙'),
    ('⺅', '亻'),
    ('⺆', '冂'),
    ('⺇', '𠘨'),
    ('⺈', '刀'),
    ('⺉', '刂'),
    ('⺊', '卜'),
    ('⺋', '㔾'),
    ('⺌', '小'),
    ('⺍', '小'),
    ('⺎', '兀'),
    ('⺏', '尣'),
    ('⺐', '尢'),
    ('⺑', '𡯂'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺔', '彑'),
    ('⺕', '彐'),
    ('⺖', '忄'),
    ('⺗', '心'),
    ('⺘', '扌'),
    ('⺙', '攵'),
    ('⺛', '旡'),
    ('⺜', '日'),
    ('⺝', '月'),
    ('⺞', '歺'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺡', '氵'),
    ('⺢', '氺'),
    ('⺣', '灬'),
    ('⺤', '爫'),
    ('⺥', '爫'),
    ('⺦', '丬'),
    ('⺧', '牛'),
    ('⺨', '犭'),
    ('⺩', '王'),
    ('⺪', '𤴔'),
    ('⺫', '目'),
    ('⺬', '示'),
    ('⺭', '礻'),
    ('⺮', '𥫗'),
    ('⺯', '糹'),
    ('⺰', '纟'),
    ('⺱', '罓'),
    ('⺲', '罒'),
    ('⺳', '㓁'),
    ('⺴', '冗'),
    ('⺵', '𦉫'),
    ('⺶', '羊'),
    ('⺷', '𦍌'),
    ('⺸', '𦍋'),
    ('⺹', '耂'),
    ('⺺', '肀'),
    ('⺻', '聿'),
    ('⺼', '肉'),
    ('⺽', '𦥑'),
    ('⺾', '艹'),
    ('⺿', '艹'),
    ('⻀', '艹'),
    ('⻁', '虎'),
    ('⻂', '衤'),
    ('⻃', '覀'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻇', '𧢲'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻊', '𧾷'),
    ('⻋', '车'),
    ('⻌', '辶'),
    ('⻍', '辶'),
    ('⻎', '辶'),
    ('⻏', '邑'),
    ('⻐', '钅'),
    ('⻑', '長'),
    ('⻒', '镸'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻕', '𨸏'),
    ('⻖', '阝'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻞', '𩙿'),
    ('⻟', '飠'),
    ('⻠', '饣'),
    ('⻡', '𩠐'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻫', '斉'),
    ('⻬', '齐'),
    ('⻭', '歯'),
    ('⻮', '齿'),
    ('⻯', '竜'),
    ('⻰', '龙'),
    ('⻱', '龜'),
    ('⻲', '亀'),
    ('⻳', '龟'),
];

/// The ordinary char a radical or compatibility ideograph stands for, or `c` itself.
pub fn unify(c: char) -> char {
    match c {
        '\u{2E80}'..='\u{2EFF}' => {
            SUPPLEMENT.binary_search_by_key(&c, |&(r, _)| r).map(|i| SUPPLEMENT[i].1).unwrap_or(c)
        }
        '\u{2F00}'..='\u{2FD5}' => single(c, |c| c.nfkc()),
        '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}' => single(c, |c| c.nfc()),
        _ => c,
    }
}

/// `text` with every radical and compatibility ideograph unified ([`unify`]); the char count is
/// kept, so offsets into it are offsets into the original.
pub fn unify_text(text: &str) -> String {
    text.chars().map(unify).collect()
}

/// `c` normalized (NFKC or NFC) when that gives one char, else `c`.
fn single<I: Iterator<Item = char>>(c: char, normalize: fn(std::iter::Once<char>) -> I) -> char {
    let mut out = normalize(std::iter::once(c));
    match (out.next(), out.next()) {
        (Some(d), None) => d,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_radicals_read_as_the_words() {
        assert_eq!(unify_text("⼯作⽣态，⼈⺠⾄上，⻅⾯，⻓期"), "工作生态，人民至上，见面，长期");
        assert_eq!(unify('\u{F900}'), '豈');
        assert_eq!(unify('\u{2E80}'), '\u{2E80}', "no equivalent: kept");
        assert_eq!(unify('工'), '工');
    }

    #[test]
    fn the_table_is_sorted_and_maps_into_unified_ideographs() {
        assert!(SUPPLEMENT.windows(2).all(|w| w[0].0 < w[1].0));
        let unified = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{20000}'..='\u{3134F}');
        assert!(SUPPLEMENT.iter().all(|&(_, u)| unified(u)));
        assert!(
            ('\u{2F00}'..='\u{2FD5}').all(|r| unified(unify(r))),
            "every Kangxi radical decomposes to one"
        );
    }
}

//! The index schema: one document per article, ids to join back to SQL; and one per section
//! of a study note, in fields of their own (`note_*`) so the articles' statistics and
//! queries are untouched by them.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::tokenizer::ZH;

/// Bump when the schema or the tokenizer changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: &str = "xuefa-index-9";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub article_id: Field,
    pub law_id: Field,
    pub statute_id: Field,
    pub article_no: Field,
    pub article_sub: Field,
    /// 1 for the current version of its law.
    pub current: Field,
    /// 1 when the statute is no longer in force.
    pub repealed: Field,
    /// `classify::level_rank`: 0 宪法 … 7 其他.
    pub level_rank: Field,
    /// 0 national, 1 + index in `classify::PROVINCES` for local regulations.
    pub region_code: Field,
    pub title: Field,
    pub short_title: Field,
    pub heading: Field,
    pub text: Field,
    pub label: Field,
    pub version_date: Field,
    pub level: Field,
    /// Raw terms: the category folder, each of its ancestors, and the level name.
    pub category: Field,
    /// `material` on a note section (articles have none): deletes and finds them all.
    pub doc_kind: Field,
    pub note_id: Field,
    /// 1-based section number: the anchor `sec-N`.
    pub note_section: Field,
    pub note_slug: Field,
    /// The note's law, full title.
    pub note_law: Field,
    pub note_title: Field,
    pub note_heading: Field,
    pub note_text: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Positions only where proximity is scored: the article text.
    let zh = |stored: bool, positions: bool| {
        let option = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ZH)
            .set_index_option(option);
        let opts = TextOptions::default().set_indexing_options(indexing);
        if stored { opts.set_stored() } else { opts }
    };
    let fields = Fields {
        article_id: b.add_u64_field("article_id", STORED | INDEXED),
        law_id: b.add_u64_field("law_id", STORED | INDEXED),
        statute_id: b.add_u64_field("statute_id", STORED | INDEXED | FAST),
        article_no: b.add_u64_field("article_no", STORED | INDEXED),
        article_sub: b.add_u64_field("article_sub", STORED | INDEXED),
        current: b.add_u64_field("current", STORED | INDEXED),
        repealed: b.add_u64_field("repealed", STORED | FAST),
        level_rank: b.add_u64_field("level_rank", FAST),
        region_code: b.add_u64_field("region_code", FAST | INDEXED | STORED),
        title: b.add_text_field("title", zh(true, false)),
        short_title: b.add_text_field("short_title", zh(false, false)),
        heading: b.add_text_field("heading", zh(true, false)),
        text: b.add_text_field("text", zh(true, true)),
        label: b.add_text_field("label", STRING | STORED),
        version_date: b.add_text_field("version_date", STRING | STORED),
        level: b.add_text_field("level", STRING | STORED),
        category: b.add_text_field("category", STRING),
        doc_kind: b.add_text_field("doc_kind", STRING),
        note_id: b.add_u64_field("note_id", STORED | INDEXED),
        note_section: b.add_u64_field("note_section", STORED),
        note_slug: b.add_text_field("note_slug", STRING | STORED),
        note_law: b.add_text_field("note_law", STRING | STORED),
        note_title: b.add_text_field("note_title", zh(true, false)),
        note_heading: b.add_text_field("note_heading", zh(true, false)),
        note_text: b.add_text_field("note_text", zh(true, true)),
    };
    (b.build(), fields)
}

//! Importing questions from .xlsx, .csv (UTF-8, UTF-8 with BOM, GB18030) or .json.
//!
//! Spreadsheets use the template's columns (`template_xlsx`): 题型, 题干, 选项A … 选项H, 答案
//! (`A`, `ABD`, `对`/`错`, fill answers `甲/乙|丙`: blanks by `|`, variants of a blank by `/`),
//! 解析, 依据 (`《信访工作条例》第二十二条`, several separated by `；`), 难度 (1–5), 标签
//! (separated by `；`). JSON is an array of objects with the same fields in English:
//!
//! ```json
//! [{"type": "single", "stem": "…（ ）", "options": ["…", "…"], "answer": "A",
//!   "explanation": "…", "basis": ["《信访工作条例》第二十二条"], "difficulty": 3,
//!   "tags": ["信访/办理期限"]}]
//! ```
//!
//! `type` is a code (single, multiple, judge, fill) or a label (单选, 多选题 …); `answer` is
//! written as in the 答案 column; `basis` and `tags` may also be one string separated by `；`;
//! other keys (an export's `id`, `status`, `origin`, `version`) are ignored.
//!
//! Every row is checked and each problem reported with its row and column. Without
//! `skip_invalid` a file with any invalid row imports nothing; with it the valid rows are
//! imported. A basis naming a law or article that does not exist makes the row invalid, even
//! when its other articles resolve: storing the question without an article its author cited
//! would silently change what it tests. A basis on a repealed law is a warning. Questions that duplicate one already in the bank (or an earlier row)
//! are reported and skipped. Everything is stored in one transaction.

pub(crate) mod answer;
pub(crate) mod basis;
pub(crate) mod columns;
pub(crate) mod resolve;
pub(crate) mod row;
mod suggested;
pub(crate) mod template;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

pub use self::answer::format as answer_text;
use self::columns::RawQuestion;
pub use self::columns::{MAX_FILE_BYTES, MAX_ROWS};
pub use self::resolve::LawBook;
use self::row::{ParsedRow, parse_row};
pub use self::template::template_xlsx;
use super::BankError;
use super::admin::{actor_label, audit, require_editor, status_label};
use super::model::{Origin, QuestionDraft, Status};
use super::rules::{Field, MAX_OPTIONS, Problem, dedup_key};
use super::store::{self, BasisRow, Inserted, NewVersion};
use crate::accounts::admin::Ctx;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Store the questions as approved instead of draft.
    pub approve: bool,
    /// Import the valid rows of a file that has invalid ones.
    pub skip_invalid: bool,
    /// Give rows without a basis the suggester's best article, marked as suggested: those
    /// questions are stored as drafts in the review queue whatever `approve` says.
    pub suggest_basis: bool,
}

/// One problem (or warning) in one cell. `row` is the row as the spreadsheet shows it (the
/// header is row 1), or for JSON the position in the array from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub problem: String,
}

/// A row not imported because the question is already there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub row: usize,
    /// The question in the bank it duplicates…
    pub question_id: Option<i64>,
    /// …or the earlier row of the same file.
    pub first_row: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Questions read from the file.
    pub rows: usize,
    pub imported: usize,
    /// The new questions, in file order.
    pub question_ids: Vec<i64>,
    pub duplicates: Vec<Duplicate>,
    /// Rows with at least one problem.
    pub invalid_rows: usize,
    pub problems: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
    /// Rows given a suggested basis (`ImportOptions::suggest_basis`).
    pub suggested: Vec<SuggestedBasis>,
}

/// The article suggested for a row that cited none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedBasis {
    pub row: usize,
    /// `《信访工作条例》第二十二条`
    pub basis: String,
}

impl ImportReport {
    /// `导入 8 题，重复 0 题，无效 2 行` (and `，推荐依据 3 题` when bases were suggested)
    pub fn summary(&self) -> String {
        let suggested = if self.suggested.is_empty() {
            String::new()
        } else {
            format!("，推荐依据 {} 题", self.suggested.len())
        };
        format!(
            "导入 {} 题，重复 {} 题，无效 {} 行{suggested}",
            self.imported,
            self.duplicates.len(),
            self.invalid_rows
        )
    }

    /// Nothing was stored because rows were invalid.
    pub fn rejected(&self) -> bool {
        self.imported == 0 && self.invalid_rows > 0
    }
}

/// Reads and checks the questions of a file, before the unit of work: parsing is CPU work and
/// the checks only read (through `pool`). `Err(BankError::File)` is for a file that cannot be
/// used at all. Store the plan with `store_questions`.
#[tracing::instrument(skip_all, fields(file = ?file_name, bytes = bytes.len()))]
pub async fn check_questions(
    pool: &AnyPool,
    laws: &LawBook,
    ctx: &Ctx<'_>,
    file_name: &str,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<QuestionPlan, BankError> {
    require_editor(ctx.actor)?;
    let (name, data) = (file_name.to_string(), bytes.to_vec());
    let parsed = tokio::task::spawn_blocking(move || {
        let raw = columns::read_file(&name, &data).map_err(BankError::File)?;
        Ok::<_, BankError>(
            raw.iter()
                .map(|r| parse_row(r, Origin::Imported))
                .collect::<Vec<ParsedRow>>(),
        )
    })
    .await
    .map_err(|e| BankError::Internal(e.to_string()))??;
    let (report, mut ready) = check_rows(pool, laws, parsed).await?;
    if report.invalid_rows > 0 && !opts.skip_invalid {
        ready.clear();
    }
    let status = if opts.approve {
        Status::Approved
    } else {
        Status::Draft
    };
    Ok(QuestionPlan {
        file_name: file_name.to_string(),
        report,
        ready,
        status,
        suggested: HashMap::new(),
    })
}

/// A checked file: the report so far and the questions ready to store.
pub struct QuestionPlan {
    file_name: String,
    report: ImportReport,
    ready: Vec<Ready>,
    status: Status,
    /// Rows whose basis is a suggestion → the review note saying so.
    suggested: HashMap<usize, String>,
}

impl QuestionPlan {
    /// Whether there is anything to store.
    pub fn has_questions(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The report without storing anything.
    pub fn report(self) -> ImportReport {
        self.report
    }
}

/// Stores a checked file's questions in the caller's unit of work, with one audit entry; a
/// duplicate of a live question is reported, not stored (the unique index decides).
pub async fn store_questions(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    plan: QuestionPlan,
) -> Result<ImportReport, BankError> {
    require_editor(ctx.actor)?;
    let QuestionPlan {
        file_name,
        mut report,
        ready,
        status,
        suggested,
    } = plan;
    if ready.is_empty() {
        return Ok(report);
    }
    let by = actor_label(ctx.actor);
    for (row, draft, basis) in &ready {
        let v = NewVersion {
            draft,
            basis,
            by: &by,
            now: ctx.now,
        };
        let note = suggested.get(row);
        // A suggested basis awaits an editor: never approved on import.
        let status = if note.is_some() {
            Status::Draft
        } else {
            status
        };
        match store::insert_or_find(&mut *tx, status, &v).await? {
            Inserted::New { question_id, .. } => {
                if let Some(note) = note {
                    store::suggested::mark(&mut *tx, question_id, note).await?;
                }
                report.question_ids.push(question_id);
            }
            Inserted::Duplicate { existing } => report.duplicates.push(Duplicate {
                row: *row,
                question_id: existing,
                first_row: None,
            }),
        }
    }
    report.imported = report.question_ids.len();
    let file: String = file_name.chars().take(200).collect();
    let detail = format!(
        "文件「{file}」共 {} 行：{}（{}）",
        report.rows,
        report.summary(),
        status_label(status)
    );
    audit(&mut *tx, ctx, "questions_imported", &file, &detail).await?;
    tracing::info!(imported = report.imported, "questions imported");
    Ok(report)
}

type Ready = (usize, QuestionDraft, Vec<BasisRow>);

/// Sorts parsed rows into problems, warnings, duplicates within the file, and the questions
/// ready to store with their resolved basis.
async fn check_rows(
    pool: &AnyPool,
    laws: &LawBook,
    parsed: Vec<ParsedRow>,
) -> Result<(ImportReport, Vec<Ready>), BankError> {
    let refs: Vec<_> = parsed.iter().flat_map(|p| &p.refs).collect();
    let current = resolve::current_laws(
        &mut *pool.acquire().await?,
        &resolve::statutes_of(&refs, laws),
    )
    .await?;
    let mut report = ImportReport {
        rows: parsed.len(),
        ..ImportReport::default()
    };
    let note = |row: usize, (column, problem): (String, String)| RowProblem {
        row,
        column,
        problem,
    };
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut ready = Vec::new();
    for p in parsed {
        let row = p.row;
        report
            .warnings
            .extend(p.warnings.into_iter().map(|w| note(row, w)));
        let resolved = resolve::resolve(&p.refs, laws, &current);
        let basis_column = || columns::COLUMNS[columns::BASIS].0.to_string();
        let Some(mut draft) = p
            .draft
            .filter(|_| p.problems.is_empty() && resolved.problems.is_empty())
        else {
            report.invalid_rows += 1;
            let unresolved = resolved.problems.into_iter().map(|m| (basis_column(), m));
            report.problems.extend(
                p.problems
                    .into_iter()
                    .chain(unresolved)
                    .map(|w| note(row, w)),
            );
            continue;
        };
        report.warnings.extend(
            resolved
                .warnings
                .into_iter()
                .map(|w| note(row, (basis_column(), w))),
        );
        let basis = resolved.rows;
        draft.basis = basis.iter().map(BasisRow::basis).collect();
        if let Some(first) = first_row.get(&dedup_key(&draft)) {
            report.duplicates.push(Duplicate {
                row,
                question_id: None,
                first_row: Some(*first),
            });
            continue;
        }
        first_row.insert(dedup_key(&draft), row);
        ready.push((row, draft, basis));
    }
    Ok((report, ready))
}

/// A question typed into a form, with the template's columns as fields (`basis` and `tags`
/// separated by `；`, `options` one per entry).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionForm {
    #[serde(rename = "type")]
    pub qtype: String,
    pub stem: String,
    #[serde(default)]
    pub options: Vec<String>,
    pub answer: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub difficulty: String,
    #[serde(default)]
    pub tags: String,
}

/// Reads a form as an import row: the draft (basis resolved to the current versions) and the
/// warnings, or every problem.
pub async fn parse_form(
    pool: &AnyPool,
    laws: &LawBook,
    form: &QuestionForm,
    origin: Origin,
) -> Result<(QuestionDraft, Vec<String>), BankError> {
    let mut raw = RawQuestion::default();
    let c = &mut raw.cells;
    c[columns::TYPE] = form.qtype.trim().to_string();
    c[columns::STEM] = form.stem.trim().to_string();
    if form.options.len() > MAX_OPTIONS {
        let message = format!("选择题最多 {MAX_OPTIONS} 个选项");
        return Err(BankError::Invalid(vec![Problem::new(
            Field::Options,
            message,
        )]));
    }
    for (i, o) in form.options.iter().enumerate() {
        c[columns::OPTION + i] = o.trim().to_string();
    }
    c[columns::ANSWER] = form.answer.trim().to_string();
    c[columns::EXPLANATION] = form.explanation.trim().to_string();
    c[columns::BASIS] = form.basis.trim().to_string();
    c[columns::DIFFICULTY] = form.difficulty.trim().to_string();
    c[columns::TAGS] = form.tags.trim().to_string();
    let p = parse_row(&raw, origin);
    let refs: Vec<_> = p.refs.iter().collect();
    let current = resolve::current_laws(
        &mut *pool.acquire().await?,
        &resolve::statutes_of(&refs, laws),
    )
    .await?;
    let resolved = resolve::resolve(&p.refs, laws, &current);
    let basis_column = columns::COLUMNS[columns::BASIS].0;
    let mut problems: Vec<Problem> = p
        .problems
        .iter()
        .map(|(column, message)| Problem::new(field_of(column), message.clone()))
        .collect();
    // A form is typed by hand: every part of its basis must name an article that exists, or
    // the question would be saved without the basis its author meant.
    let unread = p.warnings.iter().filter(|(c, _)| c == basis_column);
    problems.extend(
        unread
            .map(|(_, m)| m.trim_end_matches("，已忽略").to_string())
            .chain(resolved.problems)
            .map(|m| Problem::new(Field::Basis, m)),
    );
    let Some(mut draft) = p.draft.filter(|_| problems.is_empty()) else {
        return Err(BankError::Invalid(problems));
    };
    draft.basis = resolved.rows.iter().map(BasisRow::basis).collect();
    let mut warnings = resolved.warnings;
    warnings.extend(
        p.warnings
            .into_iter()
            .filter(|(c, _)| c != basis_column)
            .map(|(_, w)| w),
    );
    Ok((draft, warnings))
}

fn field_of(column: &str) -> Field {
    match column {
        "题型" => Field::Type,
        "答案" => Field::Answer,
        "解析" => Field::Explanation,
        "依据" => Field::Basis,
        "难度" => Field::Difficulty,
        "标签" => Field::Tags,
        c if c.starts_with("选项") => Field::Options,
        _ => Field::Stem,
    }
}

//! Statistics for managers and the ministry: one table model, shown as SVG bars beside a data table, and
//! exported as CSV and XLSX. Counts under 5, and the cells they could be worked out from, are hidden (`x`)
//! in the use case, before anything is rendered.

use crate::AppState;
use crate::extract::SignedIn;
use crate::pages::{Layout, app_error, render, server_error};
use crate::session::Current;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gennemgang_app::stats::{Row, Statistics};

/// A table of the statistics: its rows, and per row the number the bar shows.
pub struct Table {
    key: &'static str,
    title: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
    bars: Vec<usize>,
}

struct Bar {
    y: usize,
    width: usize,
    label: String,
}

struct TableView {
    title: &'static str,
    columns: &'static [&'static str],
    height: usize,
    bars: Vec<Bar>,
    rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    layout: Layout,
    tables: Vec<TableView>,
}

fn counts(key: &'static str, title: &'static str, rows: &[Row]) -> Table {
    Table {
        key,
        title,
        columns: &["Gruppe", "Antal"],
        rows: rows.iter().map(|r| vec![r.group.clone(), r.count.shown().0]).collect(),
        bars: rows.iter().map(|r| r.count.shown().1).collect(),
    }
}

/// The statistics as tables, in the order the page shows them.
#[must_use]
pub fn tables(stats: &Statistics) -> Vec<Table> {
    let days = |d: Option<i64>| d.map_or_else(|| "–".to_owned(), |d| d.to_string());
    vec![
        counts("phase", "Sager fordelt på fase", &stats.by_phase),
        counts("municipality", "Sager fordelt på bopælskommune", &stats.by_municipality),
        counts("outcome", "Afgørelser", &stats.by_outcome),
        counts("overdue", "Sager med overskredne frister", &[Row { group: "overdue".into(), count: stats.overdue }]),
        counts(
            "processing_overdue",
            "Sager over kommunens sagsbehandlingsfrist, fordelt på fase",
            &stats.processing_overdue,
        ),
        Table {
            key: "time_per_phase",
            title: "Tid pr. fase (dage, sager der har forladt fasen)",
            columns: &["Fase", "Sager", "Median (dage)", "Længst (dage)"],
            rows: stats
                .time_per_phase
                .iter()
                .map(|t| vec![t.phase.to_owned(), t.cases.shown().0, days(t.median_days), days(t.max_days)])
                .collect(),
            bars: stats
                .time_per_phase
                .iter()
                .map(|t| t.median_days.and_then(|d| usize::try_from(d).ok()).unwrap_or(0))
                .collect(),
        },
    ]
}

async fn statistics_for(state: &AppState, current: &Current) -> Result<Statistics, Response> {
    gennemgang_app::stats::for_actor(&state.store, &current.user.actor(), &state.routing, state.today())
        .await
        .map_err(|e| app_error(current, &e))
}

async fn tables_for(state: &AppState, current: &Current) -> Result<Vec<Table>, Response> {
    Ok(tables(&statistics_for(state, current).await?))
}

/// `GET /statistik`.
pub async fn page(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    let tables = match tables_for(&state, &current).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let views = tables
        .into_iter()
        .map(|mut t| {
            for row in &mut t.rows {
                if let Some(group) = row.first_mut() {
                    *group = label(t.key, group);
                }
            }
            let max = t.bars.iter().copied().max().unwrap_or(0).max(1);
            TableView {
                title: t.title,
                columns: t.columns,
                height: t.rows.len() * 24 + 4,
                bars: t
                    .rows
                    .iter()
                    .zip(&t.bars)
                    .enumerate()
                    .map(|(i, (row, value))| Bar {
                        y: i * 24,
                        width: value * 200 / max,
                        label: format!(
                            "{} ({})",
                            row.first().map_or("", String::as_str),
                            row.get(1).map_or("", String::as_str)
                        ),
                    })
                    .collect(),
                rows: t.rows,
            }
        })
        .collect();
    render(StatusCode::OK, &StatsPage { layout: Layout::of(Some(&current)), tables: views })
}

/// A group as a manager reads it (the files keep the codes): the phase in words, the municipality by
/// name, the outcome in words.
fn label(key: &str, group: &str) -> String {
    use gennemgang_case::case::Phase;
    let phase = [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision, Phase::Closed]
        .into_iter()
        .find(|p| p.name() == group);
    match (key, phase) {
        ("phase" | "time_per_phase" | "processing_overdue", Some(p)) => crate::views::phase(p).to_owned(),
        ("municipality", _) => group
            .parse()
            .ok()
            .and_then(gennemgang_rules::municipality::by_code)
            .map_or_else(|| group.to_owned(), |m| format!("{} ({group})", m.name)),
        ("outcome", _) => match group {
            "revoked" => "Frakendt".into(),
            "upheld" => "Genåbnet, pensionen bevaret".into(),
            "no_ground" => "Valideret uden genåbning".into(),
            other => other.to_owned(),
        },
        ("overdue", _) => "Overskredet".into(),
        _ => group.to_owned(),
    }
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value.to_owned() }
}

/// `GET /statistik.csv`: every table, one row per group (`table,group,value1,value2,…`).
pub async fn csv(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    let tables = match tables_for(&state, &current).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let mut out = String::from("table,group,count,median_days,max_days\n");
    for t in &tables {
        for row in &t.rows {
            let fields: Vec<String> =
                std::iter::once(t.key.to_owned()).chain(row.iter().map(|v| csv_field(v))).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    attachment("text/csv; charset=utf-8", "statistik.csv", out.into_bytes())
}

/// `GET /statistik.xlsx`: every table on its own sheet, with headings.
pub async fn xlsx(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    let tables = match tables_for(&state, &current).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    match workbook(&tables) {
        Ok(bytes) => {
            attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "statistik.xlsx", bytes)
        }
        Err(e) => server_error(&e),
    }
}

fn workbook(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.key)?;
        sheet.write_string_with_format(0, 0, t.title, &bold)?;
        for (c, name) in (0_u16..).zip(t.columns.iter()) {
            sheet.write_string_with_format(1, c, *name, &bold)?;
        }
        for (r, row) in (2_u32..).zip(&t.rows) {
            for (c, value) in (0_u16..).zip(row) {
                // Numbers as numbers so that they can be summed; "x" and "–" stay text.
                match value.parse::<f64>() {
                    Ok(n) if c > 0 => sheet.write_number(r, c, n)?,
                    _ => sheet.write_string(r, c, value)?,
                };
            }
        }
        sheet.set_column_width(0, 40)?;
    }
    book.save_to_buffer()
}

fn attachment(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

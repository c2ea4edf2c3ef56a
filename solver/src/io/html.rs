//! Printable timetables: one static HTML page per view (classes, teachers, rooms), one
//! table per class, teacher or room, a page break between them. No network assets.

use std::fmt::Write as _;
use std::path::Path;

use crate::io::{write_atomic, Error};
use crate::model::{EventId, Instance, ResId, Timetable, NO_ROOM, UNPLACED};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}\
table{border-collapse:collapse;width:100%;table-layout:fixed;page-break-after:always}\
th,td{border:1px solid #999;padding:3px;vertical-align:top;font-size:.8em}\
th{background:#eee}td.p{width:5.5em;background:#f6f6f6}\
div.s{background:#e8f0fe;border-radius:3px;margin:1px 0;padding:2px}\
small{color:#555}nav a{margin-right:1em}@media print{nav{display:none}}";

/// Writes `index.html`, `classes.html`, `teachers.html` and `rooms.html` into `dir`.
pub fn write_html(inst: &Instance, tt: &Timetable, dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|error| Error::Io {
        file: dir.to_path_buf(),
        error,
    })?;
    let classes: Vec<(String, Vec<ResId>)> = inst
        .student_sets
        .iter()
        .filter(|s| s.is_class)
        .map(|s| (s.name.clone(), s.atoms.clone()))
        .collect();
    let teachers: Vec<(String, Vec<ResId>)> = inst
        .teachers
        .clone()
        .map(|r| (inst.resource_name(r).to_string(), vec![r]))
        .collect();
    let rooms: Vec<(String, Vec<ResId>)> = inst
        .rooms
        .clone()
        .map(|r| (inst.resource_name(r).to_string(), vec![r]))
        .collect();
    for (file, title, views) in [
        ("classes.html", "Classes", &classes),
        ("teachers.html", "Teachers", &teachers),
        ("rooms.html", "Rooms", &rooms),
    ] {
        let mut html = header(inst, title);
        for (name, resources) in views {
            view(&mut html, inst, tt, name, resources);
        }
        html.push_str("</body></html>\n");
        write_atomic(&dir.join(file), html.as_bytes())?;
    }
    let mut index = header(inst, "Timetables");
    let _ = writeln!(
        index,
        "<p>{} classes, {} teachers, {} rooms.</p></body></html>",
        classes.len(),
        teachers.len(),
        rooms.len()
    );
    write_atomic(&dir.join("index.html"), index.as_bytes())
}

fn header(inst: &Instance, title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{t} — {n}</title><style>{STYLE}</style></head><body>\
<nav><a href=\"index.html\">Index</a><a href=\"classes.html\">Classes</a><a href=\"teachers.html\">Teachers</a><a href=\"rooms.html\">Rooms</a></nav><h1>{n} — {t}</h1>\n",
        t = escape(title),
        n = escape(&inst.name)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One timetable: the events holding any of `resources`.
fn view(html: &mut String, inst: &Instance, tt: &Timetable, name: &str, resources: &[ResId]) {
    let g = &inst.grid;
    let events: Vec<EventId> = (0..inst.events.len() as EventId)
        .filter(|&e| {
            tt.starts[e as usize] != UNPLACED
                && (inst.events[e as usize]
                    .resources
                    .iter()
                    .any(|r| resources.contains(r))
                    || tt.rooms_of(inst, e).iter().any(|r| resources.contains(r)))
        })
        .collect();
    let _ = write!(html, "<h2>{}</h2><table><tr><th></th>", escape(name));
    for d in &g.days {
        let _ = write!(html, "<th>{}</th>", escape(d));
    }
    html.push_str("</tr>\n");
    for p in 0..g.periods_per_day() {
        let (start, end) = &g.period_times[p];
        let times = match (start, end) {
            (Some(s), Some(e)) => format!("<br><small>{}–{}</small>", escape(s), escape(e)),
            _ => String::new(),
        };
        let _ = write!(
            html,
            "<tr><td class=\"p\">{}{times}</td>",
            escape(&g.periods[p])
        );
        for d in 0..g.day_count() {
            html.push_str("<td>");
            let slot = g.slot(d, p);
            for &e in &events {
                let ev = &inst.events[e as usize];
                let s = tt.starts[e as usize];
                if s <= slot && slot < s + ev.duration as u16 {
                    cell(html, inst, tt, e);
                }
            }
            html.push_str("</td>");
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
}

fn cell(html: &mut String, inst: &Instance, tt: &Timetable, e: EventId) {
    let ev = &inst.events[e as usize];
    let lesson = &inst.lessons[ev.lesson as usize];
    let teachers: Vec<&str> = lesson
        .teachers
        .iter()
        .map(|&t| inst.resource_name(t))
        .collect();
    let rooms: Vec<&str> = tt
        .rooms_of(inst, e)
        .iter()
        .filter(|&&r| r != NO_ROOM)
        .map(|&r| inst.resource_name(r))
        .collect();
    let weeks = inst.grid.weeks_name(tt.weeks[e as usize]);
    let _ = write!(
        html,
        "<div class=\"s\"><b>{}</b> {}<br><small>{} · {} · {}</small></div>",
        escape(&lesson.subject),
        escape(&weeks),
        escape(&lesson.student_sets.join(", ")),
        escape(&teachers.join(", ")),
        escape(&rooms.join(", "))
    );
}

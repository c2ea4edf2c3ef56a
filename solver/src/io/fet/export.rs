//! Writing a school back to FET with a timetable locked in, as FET itself does in its
//! `*_data_and_timetable.fet` files: one 100 % `ConstraintActivityPreferredStartingTime`
//! per activity and one `ConstraintActivityPreferredRoom` per room it takes, appended
//! to the original file's constraint lists (the rest of the file is kept as it was).

use std::path::Path;

use crate::io::Error;
use crate::model::{Instance, Timetable, NO_ROOM, UNPLACED};

/// `&`, `<`, `>` and quotes escaped for XML text.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn locked(kind: &str, activity: &str, fields: &str) -> String {
    format!(
        "<{kind}>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Activity_Id>{activity}</Activity_Id>\n{fields}\t<Permanently_Locked>true</Permanently_Locked>\n\t<Active>true</Active>\n\t<Comments>creneau</Comments>\n</{kind}>\n"
    )
}

/// The FET file `source` (read from `file`) with timetable `tt` of its instance `inst`
/// locked in. Lesson ids are FET activity ids (see [`super::parse_fet`]).
pub fn write_fet(
    source: &str,
    file: &Path,
    inst: &Instance,
    tt: &Timetable,
) -> Result<String, Error> {
    let g = &inst.grid;
    let (mut times, mut rooms) = (String::new(), String::new());
    for (e, ev) in inst.events.iter().enumerate() {
        let id = escape(&inst.lessons[ev.lesson as usize].id);
        let start = tt.starts[e];
        if start == UNPLACED {
            continue;
        }
        let fields = format!(
            "\t<Preferred_Day>{}</Preferred_Day>\n\t<Preferred_Hour>{}</Preferred_Hour>\n",
            escape(&g.days[g.day(start)]),
            escape(&g.periods[g.period(start)])
        );
        times += &locked("ConstraintActivityPreferredStartingTime", &id, &fields);
        for &r in tt.rooms_of(inst, e as u32) {
            if r != NO_ROOM {
                let fields = format!("\t<Room>{}</Room>\n", escape(inst.resource_name(r)));
                rooms += &locked("ConstraintActivityPreferredRoom", &id, &fields);
            }
        }
    }
    let insert = |text: &str, list: &str, what: &str| -> Result<String, Error> {
        let close = format!("</{list}>");
        let at = text.rfind(&close).ok_or_else(|| Error::Field {
            file: file.to_path_buf(),
            path: list.to_string(),
            message: format!("no {close} to write the timetable into"),
        })?;
        Ok(format!("{}{what}{}", &text[..at], &text[at..]))
    };
    let with_times = insert(source, "Time_Constraints_List", &times)?;
    insert(&with_times, "Space_Constraints_List", &rooms)
}

package bot

import (
	"context"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// An organiser of several courses is asked which one before a command
// that works on one course (/peserta, /absen, /ekspor, /statistik; the
// audiences of /umumkan ask in announce.go). The press carries the command
// and the course, and is checked against the organiser's courses like any
// other (orgReq.course).

// courseCommand is the command a course picker's press goes on with: the
// Seq of actCourseFor. Persisted in messages already sent: only add.
type courseCommand int64

const (
	forParticipants courseCommand = 1
	forRollCall     courseCommand = 2
	forExport       courseCommand = 3
	forStatistics   courseCommand = 4
)

// onlyCourse returns the organiser's course when they have one; else it
// is false and the reply asks which, with a button per course.
func onlyCourse(r *orgReq, cmd courseCommand) (store.Course, reply, bool) {
	if len(r.Courses) == 1 {
		return r.Courses[0], reply{}, true
	}
	var rows [][]button
	for _, c := range r.Courses {
		rows = append(rows, []button{organiser.Button(locale.Shorten(c.Title, 60), int64(cmd), actCourseFor, c.ID)})
	}
	return store.Course{}, reply{Text: r.M.ChooseCourse, Inline: rows}, false
}

// pressCourseFor goes on with the command of Seq for the course of Arg,
// when it is one of the organiser's.
func (b *Bot) pressCourseFor(r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
	c, ok := r.Course(cb.Arg)
	if !ok {
		return r.Stale(), nil
	}
	switch courseCommand(cb.Seq) {
	case forParticipants:
		rep, err := b.participantsOf(r, tx, c)
		return organiser.Result{Replies: []reply{rep}}, err
	case forRollCall:
		rep, err := b.rollCallOf(r, tx, c)
		return organiser.Result{Replies: []reply{rep}}, err
	case forExport, forStatistics:
		// Made after this transaction, as for the command: report reads
		// the database in its own. The press is answered by then.
		after := *r
		after.ev.callbackID, after.ev.callbackMsg = "", 0
		return organiser.Result{After: func(context.Context) {
			if courseCommand(cb.Seq) == forExport {
				b.exportCourse(&after, c)
			} else {
				b.statisticsOf(&after, c)
			}
		}}, nil
	}
	return r.Stale(), nil
}

// courseTitle is how an organiser's message names course c: only when
// the bot serves several.
func (r *orgReq) courseTitle(c store.Course) string {
	if r.Cat.Single() {
		return ""
	}
	return fmt.Sprintf(r.PM.StatusCourse, esc(c.Title)) + "\n"
}
